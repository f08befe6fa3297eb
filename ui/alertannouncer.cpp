#include "alertannouncer.h"

#include <QAccessible>
#include <QTimer>

namespace gh::ui {

void AlertAnnouncer::setTarget(QQuickItem* target) {
    if (m_target == target)
        return;
    m_target = target;
    Q_EMIT targetChanged();
}

void AlertAnnouncer::setText(const QString& text) {
    if (m_text == text)
        return;
    m_text = text;
    Q_EMIT textChanged();
    if (!text.isEmpty())
        QTimer::singleShot(0, this, &AlertAnnouncer::announce); // after the box's visibility followed
}

void AlertAnnouncer::announce() {
    if (!m_target || m_text.isEmpty() || !m_target->isVisible())
        return;
    ++m_announced;
    if (!QAccessible::isActive())
        return;
    QAccessibleEvent alert(m_target.data(), QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
    QAccessibleEvent shown(m_target.data(), QAccessible::ObjectShow);
    QAccessible::updateAccessibility(&shown);
}

} // namespace gh::ui
