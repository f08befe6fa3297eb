#include "controlaccessible.h"

#include <QAccessible>
#include <QAccessibleObject>
#include <QQuickItem>
#include <QQuickWindow>

namespace gh::ui {

namespace {

// The Accessible attached object QML created for the item (a direct child), if any.
QObject* attachedOf(QQuickItem* item) {
    for (QObject* child : item->children())
        if (child->inherits("QQuickAccessibleAttached"))
            return child;
    return nullptr;
}

// The attached object's role: an enumeration variant that toInt() and value<Role>() read as 0.
QAccessible::Role roleOf(QObject* attached) {
    const QVariant role = attached->property("role");
    if ((role.metaType().flags() & QMetaType::IsEnumeration) && role.metaType().sizeOf() == sizeof(int))
        return static_cast<QAccessible::Role>(*static_cast<const int*>(role.constData()));
    return QAccessible::NoRole;
}

class ButtonAccessible : public QAccessibleObject, public QAccessibleActionInterface {
public:
    explicit ButtonAccessible(QQuickItem* button) : QAccessibleObject(button) {}

    QQuickItem* item() const { return static_cast<QQuickItem*>(object()); }
    QObject* attached() const { return attachedOf(item()); }

    QWindow* window() const override { return item()->window(); }

    QAccessibleInterface* parent() const override {
        for (QQuickItem* p = item()->parentItem(); p; p = p->parentItem()) {
            if (p->window() && p == p->window()->contentItem())
                break;
            if (QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(p))
                return iface;
        }
        return item()->window() ? QAccessible::queryAccessibleInterface(item()->window()) : nullptr;
    }
    QAccessibleInterface* child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface*) const override { return -1; }

    QAccessible::Role role() const override {
        const QAccessible::Role r = attached() ? roleOf(attached()) : QAccessible::NoRole;
        return r != QAccessible::NoRole ? r : QAccessible::Button;
    }

    QAccessible::State state() const override {
        QAccessible::State s;
        QQuickItem* button = item();
        s.focusable = button->activeFocusOnTab() || (button->property("focusPolicy").toInt() & Qt::TabFocus);
        s.focused = button->hasActiveFocus();
        s.disabled = !button->isEnabled();
        s.invisible = !button->isVisible() || qFuzzyIsNull(button->opacity()) || !button->window();
        s.offscreen = s.invisible;
        s.checkable = button->property("checkable").toBool();
        s.checked = s.checkable && button->property("checked").toBool();
        s.pressed = button->property("down").toBool();
        s.defaultButton = button->property("highlighted").toBool();
        return s;
    }

    QString text(QAccessible::Text t) const override {
        QObject* a = attached();
        switch (t) {
        case QAccessible::Name: {
            const QString name = a ? a->property("name").toString() : QString();
            return name.isEmpty() ? item()->property("text").toString() : name;
        }
        case QAccessible::Description:
            return a ? a->property("description").toString() : QString();
        default:
            return {};
        }
    }
    void setText(QAccessible::Text, const QString&) override {}

    QRect rect() const override {
        QQuickItem* button = item();
        if (!button->window())
            return {};
        const QRectF scene = button->mapRectToScene(button->boundingRect());
        return QRect(button->window()->mapToGlobal(scene.topLeft().toPoint()), scene.size().toSize());
    }

    void* interface_cast(QAccessible::InterfaceType type) override {
        return type == QAccessible::ActionInterface ? static_cast<QAccessibleActionInterface*>(this) : nullptr;
    }

    QStringList actionNames() const override {
        // Listed while disabled too (the state says so); doAction then does nothing.
        QStringList names{pressAction(), setFocusAction()};
        if (item()->property("checkable").toBool())
            names << toggleAction();
        return names;
    }
    void doAction(const QString& name) override {
        QQuickItem* button = item();
        if (!button->isEnabled() || !button->isVisible())
            return; // a disabled button does nothing, whatever the screen's handler says
        if (name == setFocusAction()) {
            button->forceActiveFocus(Qt::OtherFocusReason);
            return;
        }
        QObject* a = attached();
        if (name == pressAction() && a)
            QMetaObject::invokeMethod(a, "pressAction");
        else if (name == toggleAction() && a)
            QMetaObject::invokeMethod(a, "toggleAction");
    }
    QStringList keyBindingsForAction(const QString&) const override { return {}; }
};

// A text item: the role the screen gave it (heading, alert message; static text otherwise), its
// name (or its text) and description; not focusable, no actions.
class TextRoleAccessible : public ButtonAccessible {
public:
    using ButtonAccessible::ButtonAccessible;

    QAccessible::Role role() const override {
        const QAccessible::Role r = attached() ? roleOf(attached()) : QAccessible::NoRole;
        return r != QAccessible::NoRole ? r : QAccessible::StaticText;
    }

    QAccessible::State state() const override {
        QAccessible::State s;
        QQuickItem* label = item();
        s.invisible = !label->isVisible() || qFuzzyIsNull(label->opacity()) || !label->window();
        s.offscreen = s.invisible;
        s.readOnly = true;
        return s;
    }
    void* interface_cast(QAccessible::InterfaceType) override { return nullptr; }
    QStringList actionNames() const override { return {}; }
    void doAction(const QString&) override {}
};

} // namespace

QAccessibleInterface* controlAccessible(QObject* object) {
    auto* item = qobject_cast<QQuickItem*>(object);
    QObject* attached = item ? attachedOf(item) : nullptr;
    if (!attached)
        return nullptr; // not an item Qt Quick lists (no Accessible attached object)
    if (item->inherits("QQuickAbstractButton"))
        return new ButtonAccessible(item);
    // Every text item Qt Quick lists: the interface is asked for as soon as the Accessible attached
    // object exists, before QML has set its role, so the role is read on each call.
    if (item->inherits("QQuickText"))
        return new TextRoleAccessible(item);
    return nullptr;
}

} // namespace gh::ui
