#include "secretinput.h"

#include "controlaccessible.h"

#include <QAccessible>
#include <QAccessibleObject>
#include <QClipboard>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPointer>
#include <QQmlProperty>
#include <QQuickWindow>
#include <QtQml/qqml.h>

#include <algorithm>
#include <cstring>

namespace gh::ui {

namespace {

// Appends one code point to a QString (the display string; mask characters unless revealed).
void appendCodePoint(QString& out, char32_t c) {
    if (c > 0xFFFF) {
        out.append(QChar::highSurrogate(c));
        out.append(QChar::lowSurrogate(c));
    } else {
        out.append(QChar(static_cast<char16_t>(c)));
    }
}

// UTF-8 of one code point into `out` (at most 4 bytes); returns the byte count.
int encodeUtf8(char32_t c, unsigned char* out) {
    if (c < 0x80) {
        out[0] = static_cast<unsigned char>(c);
        return 1;
    }
    if (c < 0x800) {
        out[0] = static_cast<unsigned char>(0xC0 | (c >> 6));
        out[1] = static_cast<unsigned char>(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = static_cast<unsigned char>(0xE0 | (c >> 12));
        out[1] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<unsigned char>(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = static_cast<unsigned char>(0xF0 | (c >> 18));
    out[1] = static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3F));
    out[2] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
    out[3] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    return 4;
}

// ---- accessibility ----------------------------------------------------------------------------
// Qt Quick's own interface for a text item reads the item's text; this one reads only what the
// screen shows (SecretInput::visibleText) and reports the role password text while hidden.
class SecretInputAccessible : public QAccessibleObject,
                              public QAccessibleTextInterface,
                              public QAccessibleEditableTextInterface,
                              public QAccessibleActionInterface {
public:
    explicit SecretInputAccessible(SecretInput* input) : QAccessibleObject(input) {}

    SecretInput* input() const { return static_cast<SecretInput*>(object()); }

    QWindow* window() const override { return input()->window(); }

    QAccessibleInterface* parent() const override {
        // The nearest ancestor the accessibility tree knows (Qt Quick only creates interfaces for
        // items marked accessible), else the window.
        for (QQuickItem* p = input()->parentItem(); p; p = p->parentItem()) {
            if (p->window() && p == p->window()->contentItem())
                break;
            if (QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(p))
                return iface;
        }
        return input()->window() ? QAccessible::queryAccessibleInterface(input()->window()) : nullptr;
    }
    QAccessibleInterface* child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface*) const override { return -1; }

    QAccessible::Role role() const override { return QAccessible::EditableText; }

    QAccessible::State state() const override {
        QAccessible::State s;
        SecretInput* in = input();
        s.focusable = true;
        s.focused = in->hasActiveFocus();
        s.editable = true;
        s.selectableText = true;
        s.passwordEdit = !in->revealed();
        s.disabled = !in->isEnabled();
        s.invisible = !in->isVisible() || !in->window();
        s.offscreen = s.invisible;
        return s;
    }

    QString text(QAccessible::Text t) const override {
        switch (t) {
        case QAccessible::Name:
            return input()->label();
        case QAccessible::Description: {
            const QString state = input()->revealed()
                                      ? QCoreApplication::translate("SecretInput", "Shown as plain text.")
                                      : QCoreApplication::translate("SecretInput", "Hidden.");
            return input()->hint().isEmpty() ? state : input()->hint() + QLatin1Char(' ') + state;
        }
        default:
            return {}; // never the content: Value stays empty
        }
    }
    void setText(QAccessible::Text, const QString&) override {}

    QRect rect() const override {
        SecretInput* in = input();
        if (!in->window())
            return {};
        const QRectF scene = in->mapRectToScene(in->boundingRect());
        const QPoint topLeft = in->window()->mapToGlobal(scene.topLeft().toPoint());
        return QRect(topLeft, scene.size().toSize());
    }

    void* interface_cast(QAccessible::InterfaceType type) override {
        switch (type) {
        case QAccessible::TextInterface:
            return static_cast<QAccessibleTextInterface*>(this);
        case QAccessible::EditableTextInterface:
            return static_cast<QAccessibleEditableTextInterface*>(this);
        case QAccessible::ActionInterface:
            return static_cast<QAccessibleActionInterface*>(this);
        default:
            return nullptr;
        }
    }

    // Text: the mask (or the revealed text), never more.
    void selection(int index, int* start, int* end) const override {
        *start = 0;
        *end = (index == 0 && input()->allSelected()) ? input()->length() : 0;
    }
    int selectionCount() const override { return input()->allSelected() ? 1 : 0; }
    void addSelection(int start, int end) override { setSelection(0, start, end); }
    void removeSelection(int) override { input()->setAllSelected(false); }
    void setSelection(int, int start, int end) override {
        input()->setAllSelected(start <= 0 && end >= input()->length());
    }
    int cursorPosition() const override { return input()->cursorPosition(); }
    void setCursorPosition(int position) override { input()->setCursorPosition(position); }
    QString text(int start, int end) const override { return input()->visibleText(start, end); }
    int characterCount() const override { return input()->length(); }
    QRect characterRect(int offset) const override {
        SecretInput* in = input();
        if (!in->window())
            return {};
        const QRectF scene = in->mapRectToScene(in->characterRectangle(offset));
        return QRect(in->window()->mapToGlobal(scene.topLeft().toPoint()), scene.size().toSize());
    }
    int offsetAtPoint(const QPoint& point) const override {
        SecretInput* in = input();
        if (!in->window())
            return -1;
        return in->offsetAt(in->mapFromScene(in->window()->mapFromGlobal(point)));
    }
    void scrollToSubstring(int, int) override {}
    QString attributes(int offset, int* start, int* end) const override {
        *start = offset;
        *end = offset;
        return {};
    }

    // EditableText: writes like typing (the form sees them), reads nothing back.
    void deleteText(int start, int end) override {
        if (input()->isEnabled())
            input()->removeRange(start, end);
    }
    void insertText(int offset, const QString& text) override {
        if (input()->isEnabled())
            input()->insertAt(offset, text);
    }
    void replaceText(int start, int end, const QString& text) override {
        if (!input()->isEnabled())
            return;
        input()->removeRange(start, end);
        input()->insertAt(start, text);
    }

    // Actions: focus only.
    QStringList actionNames() const override {
        return input()->isEnabled() ? QStringList{setFocusAction()} : QStringList{};
    }
    void doAction(const QString& name) override {
        if (name == setFocusAction() && input()->isEnabled())
            input()->forceActiveFocus(Qt::OtherFocusReason);
    }
    QStringList keyBindingsForAction(const QString&) const override { return {}; }
};

QAccessibleInterface* secretInputFactory(const QString&, QObject* object) {
    if (auto* input = qobject_cast<SecretInput*>(object))
        return new SecretInputAccessible(input);
    return controlAccessible(object);
}

// Before any window exists, so this factory is asked before Qt Quick's own (which would read
// the item as a plain item and never as a password field, and a disabled button as enabled).
void installSecretInputAccessibility() {
    QAccessible::installFactory(secretInputFactory);
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(installSecretInputAccessibility)

// ---- the item ---------------------------------------------------------------------------------

SecretInput::SecretInput(QQuickItem* parent) : QQuickPaintedItem(parent) {
    setFlag(ItemAcceptsInputMethod, true);
    setFlag(ItemIsFocusScope, false);
    setActiveFocusOnTab(true);
    setAcceptedMouseButtons(Qt::LeftButton);
    setCursor(Qt::IBeamCursor);
    setAntialiasing(true);
    m_blink.setInterval(530);
    connect(&m_blink, &QTimer::timeout, this, [this] {
        m_caretOn = !m_caretOn;
        update();
    });
}

SecretInput::~SecretInput() = default; // m_chars wipes itself

void SecretInput::componentComplete() {
    QQuickPaintedItem::componentComplete();
    // Marks the item as accessible for Qt Quick (which lists only such items as children) through
    // the public attached-property path, so screens need not remember to.
    QQmlProperty role(this, QStringLiteral("Accessible.role"), qmlContext(this));
    if (role.isValid())
        role.write(static_cast<int>(QAccessible::EditableText));
}

void SecretInput::setLabel(const QString& label) {
    if (m_label == label)
        return;
    m_label = label;
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::NameChanged);
        QAccessible::updateAccessibility(&event);
    }
    Q_EMIT labelChanged();
}

void SecretInput::setHint(const QString& hint) {
    if (m_hint == hint)
        return;
    m_hint = hint;
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&event);
    }
    Q_EMIT hintChanged();
}

void SecretInput::setRevealed(bool revealed) {
    if (m_revealed == revealed)
        return;
    m_revealed = revealed;
    update();
    if (QAccessible::isActive()) {
        QAccessible::State changed;
        changed.passwordEdit = true;
        QAccessibleStateChangeEvent state(this, changed);
        QAccessible::updateAccessibility(&state);
        QAccessibleEvent description(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&description);
        QAccessibleTextUpdateEvent text(this, 0, visibleText(0, m_length), visibleText(0, m_length));
        QAccessible::updateAccessibility(&text);
    }
    Q_EMIT revealedChanged();
}

void SecretInput::setDigitsOnly(bool digitsOnly) {
    if (m_digitsOnly == digitsOnly)
        return;
    m_digitsOnly = digitsOnly;
    Q_EMIT formatChanged();
}

void SecretInput::setMaximumLength(int maximumLength) {
    maximumLength = std::max(0, maximumLength);
    if (m_maximumLength == maximumLength)
        return;
    m_maximumLength = maximumLength;
    if (m_length > m_maximumLength)
        removeAt(m_maximumLength, m_length - m_maximumLength, false);
    Q_EMIT formatChanged();
}

void SecretInput::setFont(const QFont& font) {
    if (m_font == font)
        return;
    m_font = font;
    ensureCursorVisible();
    update();
    Q_EMIT appearanceChanged();
}

void SecretInput::setAppearanceColor(QColor& member, const QColor& color) {
    if (member == color)
        return;
    member = color;
    update();
    Q_EMIT appearanceChanged();
}

void SecretInput::setColor(const QColor& color) {
    setAppearanceColor(m_color, color);
}

void SecretInput::setSelectionColor(const QColor& color) {
    setAppearanceColor(m_selectionColor, color);
}

void SecretInput::setSelectedTextColor(const QColor& color) {
    setAppearanceColor(m_selectedTextColor, color);
}

void SecretInput::setLeftPadding(qreal padding) {
    if (qFuzzyCompare(m_leftPadding, padding))
        return;
    m_leftPadding = padding;
    update();
    Q_EMIT appearanceChanged();
}

void SecretInput::setRightPadding(qreal padding) {
    if (qFuzzyCompare(m_rightPadding, padding))
        return;
    m_rightPadding = padding;
    update();
    Q_EMIT appearanceChanged();
}

int SecretInput::significantLength() const {
    int n = 0;
    for (int i = 0; i < m_length; ++i)
        if (at(i) != U' ')
            ++n;
    return n;
}

char32_t SecretInput::at(int i) const {
    char32_t c;
    std::memcpy(&c, m_chars.data() + static_cast<std::size_t>(i) * sizeof(char32_t), sizeof c);
    return c;
}

void SecretInput::reserve(int codePoints) {
    const auto capacity = static_cast<int>(m_chars.size() / sizeof(char32_t));
    if (codePoints <= capacity)
        return;
    SecureBuffer bigger(static_cast<std::size_t>(std::max(codePoints, std::max(32, capacity * 2))) * sizeof(char32_t));
    if (m_length > 0)
        std::memcpy(bigger.data(), m_chars.data(), static_cast<std::size_t>(m_length) * sizeof(char32_t));
    m_chars = std::move(bigger); // the old buffer is wiped as it goes
}

bool SecretInput::accepts(char32_t c) const {
    if (m_digitsOnly)
        return (c >= U'0' && c <= U'9') || c == U' ';
    return QChar::isPrint(c);
}

void SecretInput::insertText(const QString& text) {
    if (allSelected())
        removeAt(0, m_length, true);
    m_allSelected = false;
    insertAt(m_cursor, text);
}

void SecretInput::insertAt(int position, const QString& text) {
    position = std::clamp(position, 0, m_length);
    int inserted = 0;
    for (auto it = text.cbegin(); it != text.cend(); ++it) {
        char32_t c = it->unicode();
        if (it->isHighSurrogate() && std::next(it) != text.cend() && std::next(it)->isLowSurrogate()) {
            c = QChar::surrogateToUcs4(*it, *std::next(it));
            ++it;
        }
        if (!accepts(c) || m_length >= m_maximumLength)
            continue;
        reserve(m_length + 1);
        unsigned char* base = m_chars.data();
        const auto at = static_cast<std::size_t>(position + inserted) * sizeof(char32_t);
        std::memmove(base + at + sizeof(char32_t), base + at,
                     static_cast<std::size_t>(m_length - position - inserted) * sizeof(char32_t));
        std::memcpy(base + at, &c, sizeof c);
        c = 0;
        ++m_length;
        ++inserted;
    }
    if (inserted == 0)
        return;
    m_cursor = position + inserted;
    if (QAccessible::isActive()) {
        QAccessibleTextInsertEvent event(this, position, visibleText(position, position + inserted));
        QAccessible::updateAccessibility(&event);
    }
    changed(true);
}

void SecretInput::removeRange(int start, int end) {
    start = std::clamp(start, 0, m_length);
    end = std::clamp(end < 0 ? m_length : end, start, m_length);
    m_allSelected = false;
    removeAt(start, end - start, true);
}

void SecretInput::removeAt(int start, int count, bool byPerson) {
    if (count <= 0)
        return;
    const QString removed = QAccessible::isActive() ? visibleText(start, start + count) : QString();
    unsigned char* base = m_chars.data();
    const auto from = static_cast<std::size_t>(start) * sizeof(char32_t);
    const auto n = static_cast<std::size_t>(count) * sizeof(char32_t);
    std::memmove(base + from, base + from + n, static_cast<std::size_t>(m_length - start - count) * sizeof(char32_t));
    m_length -= count;
    wipeBytes(base + static_cast<std::size_t>(m_length) * sizeof(char32_t), n);
    if (m_cursor > start)
        m_cursor = std::max(start, m_cursor - count);
    if (QAccessible::isActive()) {
        QAccessibleTextRemoveEvent event(this, start, removed);
        QAccessible::updateAccessibility(&event);
    }
    changed(byPerson);
}

void SecretInput::changed(bool byPerson) {
    if (QAccessible::isActive()) {
        QAccessibleTextCursorEvent event(this, m_cursor);
        QAccessible::updateAccessibility(&event);
    }
    ensureCursorVisible();
    restartBlink();
    update();
    Q_EMIT lengthChanged();
    if (byPerson)
        Q_EMIT textEdited();
}

void SecretInput::clear() {
    m_allSelected = false;
    if (m_length == 0)
        return;
    removeAt(0, m_length, false);
    m_cursor = 0;
    m_scroll = 0;
    update();
}

void SecretInput::selectAll() {
    setAllSelected(true);
}

void SecretInput::setAllSelected(bool selected) {
    if (m_allSelected == selected)
        return;
    m_allSelected = selected;
    if (selected)
        m_cursor = m_length;
    if (QAccessible::isActive()) {
        QAccessibleTextSelectionEvent event(this, 0, selected ? m_length : 0);
        QAccessible::updateAccessibility(&event);
    }
    update();
}

void SecretInput::paste() {
    if (!isEnabled())
        return;
    QClipboard* clipboard = QGuiApplication::clipboard();
    if (!clipboard)
        return;
    QString text = clipboard->text();
    // A password manager's entry may end with a newline; a secret is one line.
    while (!text.isEmpty() && (text.back() == u'\n' || text.back() == u'\r'))
        text.chop(1);
    insertText(text);
    wipe(text);
}

void SecretInput::setCursorPosition(int position) {
    position = std::clamp(position, 0, m_length);
    m_allSelected = false;
    if (position == m_cursor)
        return;
    m_cursor = position;
    if (QAccessible::isActive()) {
        QAccessibleTextCursorEvent event(this, m_cursor);
        QAccessible::updateAccessibility(&event);
    }
    ensureCursorVisible();
    restartBlink();
    update();
}

SecureBuffer SecretInput::secret() const {
    std::size_t bytes = 0;
    unsigned char scratch[4];
    for (int i = 0; i < m_length; ++i)
        bytes += static_cast<std::size_t>(encodeUtf8(at(i), scratch));
    SecureBuffer out(bytes);
    std::size_t pos = 0;
    for (int i = 0; i < m_length; ++i)
        pos += static_cast<std::size_t>(encodeUtf8(at(i), out.data() + pos));
    wipeBytes(scratch, sizeof scratch);
    return out;
}

QString SecretInput::secretString() const {
    QString out;
    out.reserve(m_length * 2);
    for (int i = 0; i < m_length; ++i)
        appendCodePoint(out, at(i));
    return out;
}

QString SecretInput::visibleText(int start, int end) const {
    start = std::clamp(start, 0, m_length);
    end = std::clamp(end < 0 ? m_length : end, start, m_length);
    QString out;
    for (int i = start; i < end; ++i)
        appendCodePoint(out, m_revealed ? at(i) : kMask);
    return out;
}

QString SecretInput::displayString() const {
    return visibleText(0, m_length);
}

qreal SecretInput::textX(int offset) const {
    QString prefix = visibleText(0, offset);
    const qreal x = m_leftPadding - m_scroll + QFontMetricsF(m_font).horizontalAdvance(prefix);
    wipe(prefix);
    return x;
}

QRectF SecretInput::characterRectangle(int offset) const {
    offset = std::clamp(offset, 0, m_length);
    const QFontMetricsF metrics(m_font);
    const qreal x = textX(offset);
    const qreal w = offset < m_length ? textX(offset + 1) - x : 0;
    return QRectF(x, (height() - metrics.height()) / 2, w, metrics.height());
}

int SecretInput::offsetAt(QPointF itemPoint) const {
    int best = 0;
    qreal bestDistance = std::abs(textX(0) - itemPoint.x());
    for (int i = 1; i <= m_length; ++i) {
        const qreal distance = std::abs(textX(i) - itemPoint.x());
        if (distance < bestDistance) {
            best = i;
            bestDistance = distance;
        }
    }
    return best;
}

void SecretInput::ensureCursorVisible() {
    const qreal visible = std::max<qreal>(1, width() - m_leftPadding - m_rightPadding);
    QString prefix = visibleText(0, m_cursor);
    const qreal caret = QFontMetricsF(m_font).horizontalAdvance(prefix);
    wipe(prefix);
    if (caret - m_scroll > visible)
        m_scroll = caret - visible;
    else if (caret < m_scroll)
        m_scroll = caret;
    if (m_scroll < 0)
        m_scroll = 0;
}

void SecretInput::restartBlink() {
    if (hasActiveFocus()) {
        m_caretOn = true;
        m_blink.start();
    } else {
        m_caretOn = false;
        m_blink.stop();
    }
}

void SecretInput::paint(QPainter* painter) {
    const QFontMetricsF metrics(m_font);
    const qreal textTop = (height() - metrics.height()) / 2;
    painter->save();
    painter->setClipRect(
        QRectF(m_leftPadding, 0, std::max<qreal>(0, width() - m_leftPadding - m_rightPadding), height()));
    painter->setFont(m_font);
    QString shown = displayString();
    const qreal x = m_leftPadding - m_scroll;
    if (allSelected()) {
        painter->fillRect(QRectF(x, textTop, metrics.horizontalAdvance(shown), metrics.height()), m_selectionColor);
        painter->setPen(m_selectedTextColor);
    } else {
        painter->setPen(isEnabled() ? m_color : QColor(m_color.red(), m_color.green(), m_color.blue(), 128));
    }
    painter->drawText(QPointF(x, textTop + metrics.ascent()), shown);
    wipe(shown);
    if (hasActiveFocus() && m_caretOn && !allSelected()) {
        const qreal cx = std::round(textX(m_cursor));
        painter->fillRect(QRectF(cx, textTop, 1.5, metrics.height()), m_color);
    }
    painter->restore();
}

QVariant SecretInput::inputMethodQuery(Qt::InputMethodQuery query) const {
    switch (query) {
    case Qt::ImEnabled:
        return isEnabled();
    case Qt::ImHints: {
        Qt::InputMethodHints hints =
            Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase;
        if (m_digitsOnly)
            hints |= Qt::ImhDigitsOnly;
        return static_cast<int>(hints);
    }
    case Qt::ImCursorRectangle:
        return characterRectangle(m_cursor);
    case Qt::ImCursorPosition:
    case Qt::ImAnchorPosition:
        return m_cursor;
    case Qt::ImSurroundingText:
    case Qt::ImCurrentSelection:
    case Qt::ImTextBeforeCursor:
    case Qt::ImTextAfterCursor:
        return QString(); // an input method never reads the secret
    case Qt::ImMaximumTextLength:
        return m_maximumLength;
    case Qt::ImFont:
        return m_font;
    default:
        return QQuickPaintedItem::inputMethodQuery(query);
    }
}

void SecretInput::keyPressEvent(QKeyEvent* event) {
    if (!isEnabled()) {
        event->ignore();
        return;
    }
    if (event->matches(QKeySequence::Paste) ||
        (event->key() == Qt::Key_Insert && event->modifiers() == Qt::ShiftModifier)) {
        paste();
        event->accept();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        event->accept();
        return;
    }
    if (event->matches(QKeySequence::Copy) || event->matches(QKeySequence::Cut)) {
        event->accept(); // a secret never goes to the clipboard
        return;
    }
    const bool word = event->modifiers() & Qt::ControlModifier;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        Q_EMIT accepted();
        event->accept();
        return;
    case Qt::Key_Backspace:
        if (allSelected())
            removeRange(0, m_length);
        else if (word)
            removeRange(0, m_cursor); // a hidden text has no visible words
        else if (m_cursor > 0)
            removeRange(m_cursor - 1, m_cursor);
        event->accept();
        return;
    case Qt::Key_Delete:
        if (allSelected())
            removeRange(0, m_length);
        else if (word)
            removeRange(m_cursor, m_length);
        else if (m_cursor < m_length)
            removeRange(m_cursor, m_cursor + 1);
        event->accept();
        return;
    case Qt::Key_Left:
        setCursorPosition(allSelected() ? 0 : (word ? 0 : m_cursor - 1));
        event->accept();
        return;
    case Qt::Key_Right:
        setCursorPosition(word ? m_length : m_cursor + 1);
        event->accept();
        return;
    case Qt::Key_Home:
        setCursorPosition(0);
        event->accept();
        return;
    case Qt::Key_End:
        setCursorPosition(m_length);
        event->accept();
        return;
    default:
        break;
    }
    QString text = event->text();
    const bool command = event->modifiers() & (Qt::ControlModifier | Qt::MetaModifier);
    if (!command && !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isPrint(); })) {
        insertText(text);
        wipe(text);
        event->accept();
        return;
    }
    wipe(text);
    event->ignore(); // Tab, Escape, shortcuts: the screen's
}

void SecretInput::inputMethodEvent(QInputMethodEvent* event) {
    QString commit = event->commitString();
    if (!commit.isEmpty() && isEnabled())
        insertText(commit);
    wipe(commit);
    event->accept();
}

void SecretInput::mousePressEvent(QMouseEvent* event) {
    if (!isEnabled()) {
        event->ignore();
        return;
    }
    forceActiveFocus(Qt::MouseFocusReason);
    setCursorPosition(offsetAt(event->position()));
    event->accept();
}

void SecretInput::focusInEvent(QFocusEvent* event) {
    QQuickPaintedItem::focusInEvent(event);
    restartBlink();
    update();
}

void SecretInput::focusOutEvent(QFocusEvent* event) {
    QQuickPaintedItem::focusOutEvent(event);
    m_allSelected = false;
    restartBlink();
    update();
}

void SecretInput::itemChange(ItemChange change, const ItemChangeData& data) {
    QQuickPaintedItem::itemChange(change, data);
    if (change == ItemEnabledHasChanged)
        update();
}

} // namespace gh::ui
