// Announces an error message to screen readers when it appears or changes. Qt 6.4 sends AT-SPI a
// "showing" state change only when the message's box becomes visible, and only a description
// change (which Orca does not read) when a shown message changes; this sends the item's Alert
// event and a fresh "showing" for every new text, so Orca reads the alert each time.
//   Text { id: label; Accessible.role: Accessible.AlertMessage; AlertAnnouncer { target: label; text: label.text } }
#pragma once

#include <QObject>
#include <QPointer>
#include <QQuickItem>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AlertAnnouncer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickItem* target READ target WRITE setTarget NOTIFY targetChanged)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)

public:
    explicit AlertAnnouncer(QObject* parent = nullptr) : QObject(parent) {}

    QQuickItem* target() const { return m_target; }
    void setTarget(QQuickItem* target);
    QString text() const { return m_text; }
    void setText(const QString& text);

    // How many announcements were sent (for tests).
    int announced() const { return m_announced; }

Q_SIGNALS:
    void targetChanged();
    void textChanged();

private:
    void announce();

    QPointer<QQuickItem> m_target;
    QString m_text;
    int m_announced = 0;
};

} // namespace gh::ui
