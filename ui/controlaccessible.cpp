#include "controlaccessible.h"

#include <QAccessible>
#include <QAccessibleObject>
#include <QHash>
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

// A text field that holds no secret (username, names, filters). Qt 6.4 gives a Qt Quick TextField
// no EditableText interface, so a screen reader could not write one. This one reads and writes the
// field as typing does (the item's own insert/remove), so the screen's handlers and the form follow
// (Field.qml forwards every text change). A field in a password echo mode shows its mask only.
class TextFieldAccessible : public ButtonAccessible,
                            public QAccessibleTextInterface,
                            public QAccessibleEditableTextInterface {
public:
    using ButtonAccessible::ButtonAccessible;

    QString content() const {
        return item()->property(item()->property("echoMode").toInt() == 0 ? "text" : "displayText").toString();
    }

    QAccessible::Role role() const override { return QAccessible::EditableText; }
    QAccessible::State state() const override {
        QAccessible::State s = ButtonAccessible::state();
        s.focusable = true;
        s.editable = !item()->property("readOnly").toBool();
        s.readOnly = !s.editable;
        s.checkable = s.checked = s.pressed = s.defaultButton = false;
        return s;
    }
    QString text(QAccessible::Text t) const override {
        if (t == QAccessible::Value)
            return content();
        if (t == QAccessible::Description) {
            const QString description = ButtonAccessible::text(t);
            return description.isEmpty() ? item()->property("placeholderText").toString() : description;
        }
        if (t == QAccessible::Name)
            return attached() ? attached()->property("name").toString() : QString();
        return {};
    }
    void setText(QAccessible::Text t, const QString& text) override {
        if (t == QAccessible::Value)
            replaceText(0, characterCount(), text);
    }
    void* interface_cast(QAccessible::InterfaceType type) override {
        if (type == QAccessible::TextInterface)
            return static_cast<QAccessibleTextInterface*>(this);
        if (type == QAccessible::EditableTextInterface)
            return static_cast<QAccessibleEditableTextInterface*>(this);
        return ButtonAccessible::interface_cast(type);
    }
    QStringList actionNames() const override { return {setFocusAction()}; }

    // Text.
    void selection(int, int* start, int* end) const override {
        *start = item()->property("selectionStart").toInt();
        *end = item()->property("selectionEnd").toInt();
    }
    int selectionCount() const override {
        return item()->property("selectionStart").toInt() != item()->property("selectionEnd").toInt() ? 1 : 0;
    }
    void addSelection(int start, int end) override { setSelection(0, start, end); }
    void removeSelection(int) override { QMetaObject::invokeMethod(item(), "deselect"); }
    void setSelection(int, int start, int end) override {
        QMetaObject::invokeMethod(item(), "select", Q_ARG(int, start), Q_ARG(int, end));
    }
    int cursorPosition() const override { return item()->property("cursorPosition").toInt(); }
    void setCursorPosition(int position) override { item()->setProperty("cursorPosition", position); }
    QString text(int start, int end) const override { return content().mid(start, end - start); }
    int characterCount() const override { return int(content().size()); }
    QRect characterRect(int offset) const override {
        QRectF r;
        QMetaObject::invokeMethod(item(), "positionToRectangle", Q_RETURN_ARG(QRectF, r), Q_ARG(int, offset));
        if (!item()->window())
            return {};
        const QRectF scene = item()->mapRectToScene(r);
        return QRect(item()->window()->mapToGlobal(scene.topLeft().toPoint()), scene.size().toSize());
    }
    int offsetAtPoint(const QPoint& point) const override {
        if (!item()->window())
            return -1;
        const QPointF local = item()->mapFromScene(item()->window()->mapFromGlobal(point));
        int position = -1;
        QMetaObject::invokeMethod(item(), "positionAt", Q_RETURN_ARG(int, position), Q_ARG(qreal, local.x()),
                                  Q_ARG(qreal, local.y()), Q_ARG(int, 0));
        return position;
    }
    void scrollToSubstring(int, int) override {}
    QString attributes(int offset, int* start, int* end) const override {
        *start = *end = offset;
        return {};
    }

    // EditableText: as typing, never while disabled or read-only.
    bool writable() const { return item()->isEnabled() && !item()->property("readOnly").toBool(); }
    void deleteText(int start, int end) override {
        if (writable())
            QMetaObject::invokeMethod(item(), "remove", Q_ARG(int, start), Q_ARG(int, end));
    }
    void insertText(int offset, const QString& text) override {
        if (writable())
            QMetaObject::invokeMethod(item(), "insert", Q_ARG(int, offset), Q_ARG(QString, text));
    }
    void replaceText(int start, int end, const QString& text) override {
        deleteText(start, end);
        insertText(start, text);
    }
};

// A combo box (filters, role and device pickers). Qt 6.4 gives a Qt Quick ComboBox only SetFocus
// and no children while its popup is closed, and its AT-SPI bridge has no Selection interface, so
// a screen reader could neither list nor pick a value. This one lists every choice as a child (list
// item named by its text, selectable, selected when current) whose Press picks it, as the arrow
// keys would (the ComboBox's own increment/decrement, so bindings stay and activated() fires);
// the combo box's own Press opens the popup. Disabled: nothing is picked.
class ComboBoxAccessible;

class ChoiceAccessible : public QAccessibleInterface, public QAccessibleActionInterface {
public:
    ChoiceAccessible(ComboBoxAccessible* combo, int index) : m_combo(combo), m_index(index) {}

    bool isValid() const override;
    QObject* object() const override { return nullptr; }
    QWindow* window() const override;
    QAccessibleInterface* parent() const override;
    QAccessibleInterface* child(int) const override { return nullptr; }
    QAccessibleInterface* childAt(int, int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface*) const override { return -1; }
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override;
    QString text(QAccessible::Text t) const override;
    void setText(QAccessible::Text, const QString&) override {}
    QRect rect() const override;
    void* interface_cast(QAccessible::InterfaceType type) override {
        return type == QAccessible::ActionInterface ? static_cast<QAccessibleActionInterface*>(this) : nullptr;
    }
    QStringList actionNames() const override { return {pressAction()}; }
    void doAction(const QString& name) override;
    QStringList keyBindingsForAction(const QString&) const override { return {}; }

private:
    ComboBoxAccessible* m_combo;
    int m_index;
};

class ComboBoxAccessible : public ButtonAccessible {
public:
    using ButtonAccessible::ButtonAccessible;
    ~ComboBoxAccessible() override {
        for (QAccessible::Id id : std::as_const(m_choices))
            QAccessible::deleteAccessibleInterface(id);
    }

    int count() const { return item()->property("count").toInt(); }
    int current() const { return item()->property("currentIndex").toInt(); }
    QString textAt(int index) const {
        QString text;
        QMetaObject::invokeMethod(item(), "textAt", Q_RETURN_ARG(QString, text), Q_ARG(int, index));
        return text;
    }
    // Moves the current index to `index` one step at a time, as the arrow keys do.
    void pick(int index) {
        QQuickItem* combo = item();
        if (!combo->isEnabled() || !combo->isVisible() || index < 0 || index >= count())
            return;
        for (int guard = count(); current() != index && guard > 0; --guard)
            QMetaObject::invokeMethod(combo, current() < index ? "incrementCurrentIndex" : "decrementCurrentIndex");
    }

    QAccessible::Role role() const override { return QAccessible::ComboBox; }
    QAccessible::State state() const override {
        QAccessible::State s = ButtonAccessible::state();
        s.expandable = true;
        QObject* popup = item()->property("popup").value<QObject*>();
        s.expanded = popup && popup->property("visible").toBool();
        s.collapsed = !s.expanded;
        return s;
    }
    QString text(QAccessible::Text t) const override {
        if (t == QAccessible::Value)
            return item()->property("displayText").toString();
        if (t == QAccessible::Name && attached())
            return attached()->property("name").toString(); // not the text: the value is not its name
        return ButtonAccessible::text(t);
    }

    int childCount() const override { return count(); }
    QAccessibleInterface* child(int index) const override {
        if (index < 0 || index >= count())
            return nullptr;
        auto* self = const_cast<ComboBoxAccessible*>(this);
        if (!m_choices.contains(index))
            self->m_choices.insert(index, QAccessible::registerAccessibleInterface(new ChoiceAccessible(self, index)));
        return QAccessible::accessibleInterface(m_choices.value(index));
    }
    int indexOfChild(const QAccessibleInterface* child) const override {
        for (auto it = m_choices.cbegin(); it != m_choices.cend(); ++it)
            if (QAccessible::accessibleInterface(it.value()) == child)
                return it.key() < count() ? it.key() : -1;
        return -1;
    }

    QStringList actionNames() const override { return {pressAction(), setFocusAction()}; }
    void doAction(const QString& name) override {
        QQuickItem* combo = item();
        if (!combo->isEnabled() || !combo->isVisible())
            return;
        if (name == setFocusAction()) {
            combo->forceActiveFocus(Qt::OtherFocusReason);
        } else if (name == pressAction()) {
            combo->forceActiveFocus(Qt::OtherFocusReason);
            if (QObject* popup = combo->property("popup").value<QObject*>())
                QMetaObject::invokeMethod(popup, "open");
        }
    }

private:
    QHash<int, QAccessible::Id> m_choices; // registered on first use, deleted with the combo box
};

bool ChoiceAccessible::isValid() const {
    return m_combo->isValid() && m_index < m_combo->count();
}
QWindow* ChoiceAccessible::window() const {
    return m_combo->window();
}
QAccessibleInterface* ChoiceAccessible::parent() const {
    return m_combo;
}
QAccessible::State ChoiceAccessible::state() const {
    QAccessible::State s;
    s.selectable = true;
    s.selected = m_combo->current() == m_index;
    s.disabled = m_combo->state().disabled;
    // Not showing while the popup is closed (as GTK's combo box menu items), yet operable.
    s.invisible = true;
    return s;
}
QString ChoiceAccessible::text(QAccessible::Text t) const {
    return t == QAccessible::Name && isValid() ? m_combo->textAt(m_index) : QString();
}
QRect ChoiceAccessible::rect() const {
    return m_combo->rect();
}
void ChoiceAccessible::doAction(const QString& name) {
    if (name == pressAction() && isValid())
        m_combo->pick(m_index);
}

// A list item that is a choice (an audit event, a session): Qt 6.4 lists no Press action for the
// list-item role, so a screen reader could not select one; this one offers Press, which runs the
// screen's Accessible.onPressAction (selecting it), and reports selectable/selected.
class ListItemAccessible : public TextRoleAccessible {
public:
    using TextRoleAccessible::TextRoleAccessible;

    QAccessible::State state() const override {
        QAccessible::State s = TextRoleAccessible::state();
        s.readOnly = false;
        s.selectable = true;
        s.selected = attached() && attached()->property("selected").toBool();
        s.disabled = !item()->isEnabled();
        return s;
    }
    void* interface_cast(QAccessible::InterfaceType type) override {
        return type == QAccessible::ActionInterface ? static_cast<QAccessibleActionInterface*>(this) : nullptr;
    }
    QStringList actionNames() const override { return {pressAction()}; }
    void doAction(const QString& name) override { ButtonAccessible::doAction(name); }

    // The row's own controls (a session's "End"), found as Qt Quick finds them: the nearest
    // descendants that have an accessible interface.
    QList<QAccessibleInterface*> children() const {
        QList<QAccessibleInterface*> out;
        collect(item(), out);
        return out;
    }
    int childCount() const override { return int(children().size()); }
    QAccessibleInterface* child(int index) const override { return children().value(index); }
    int indexOfChild(const QAccessibleInterface* child) const override {
        return int(children().indexOf(const_cast<QAccessibleInterface*>(child)));
    }

private:
    static void collect(QQuickItem* parent, QList<QAccessibleInterface*>& out) {
        for (QQuickItem* c : parent->childItems()) {
            if (QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(c))
                out << iface;
            else
                collect(c, out);
        }
    }
};

// A plain item becomes a list item only once QML has set its role, after Qt Quick made (and
// cached) its interface; this drops that one then, so the next query comes to the factory again.
class ListItemRoleWatcher : public QObject {
    Q_OBJECT
public:
    ListItemRoleWatcher(QQuickItem* item, QObject* attached) : QObject(item), m_item(item), m_attached(attached) {
        const int signal = attached->metaObject()->indexOfSignal("roleChanged()");
        if (signal >= 0)
            QObject::connect(attached, attached->metaObject()->method(signal), this,
                             metaObject()->method(metaObject()->indexOfSlot("roleChanged()")));
    }

public Q_SLOTS:
    void roleChanged() {
        if (roleOf(m_attached) != QAccessible::ListItem)
            return;
        if (QAccessibleInterface* old = QAccessible::queryAccessibleInterface(m_item);
            old && !dynamic_cast<ListItemAccessible*>(old))
            QAccessible::deleteAccessibleInterface(QAccessible::uniqueId(old));
    }

private:
    QQuickItem* m_item;
    QObject* m_attached;
};

} // namespace

QAccessibleInterface* controlAccessible(QObject* object) {
    auto* item = qobject_cast<QQuickItem*>(object);
    QObject* attached = item ? attachedOf(item) : nullptr;
    if (!attached)
        return nullptr; // not an item Qt Quick lists (no Accessible attached object)
    if (item->inherits("QQuickAbstractButton"))
        return new ButtonAccessible(item);
    if (item->inherits("QQuickComboBox"))
        return new ComboBoxAccessible(item);
    if (item->inherits("QQuickTextInput"))
        return new TextFieldAccessible(item);
    // Every text item Qt Quick lists: the interface is asked for as soon as the Accessible attached
    // object exists, before QML has set its role, so the role is read on each call.
    if (item->inherits("QQuickText"))
        return new TextRoleAccessible(item);
    if (roleOf(attached) == QAccessible::ListItem)
        return new ListItemAccessible(item);
    if (!item->findChild<ListItemRoleWatcher*>(QString(), Qt::FindDirectChildrenOnly))
        new ListItemRoleWatcher(item, attached); // owned by the item
    return nullptr;
}

} // namespace gh::ui

#include "controlaccessible.moc"
