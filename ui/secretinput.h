// The one entry control for secrets: passwords, passphrases, security-key PINs, authenticator
// codes and recovery codes. It is its own item (not a TextInput) so that the typed text never
// lives in a QString the QML engine or the accessibility bridge can read:
//   - the code points are kept in a SecureBuffer (sodium_malloc, wiped) and leave the item only
//     to C++ (secret()), which the screens' view-models call when QML hands them the item;
//   - QML can read facts (length, empty), never the text;
//   - its QAccessibleInterface (in secretinput.cpp) reports the role password text, the
//     label as name and the hint as description, and a text of mask characters only, one per
//     code point as the screen shows, so a caret offset tells nothing the mask does not;
//   - "revealed" (the Show toggle) is the one way to make the content readable, on screen and
//     through accessibility, and the control then says so;
//   - input methods get ImhHiddenText | ImhSensitiveData | ImhNoPredictiveText and never the
//     surrounding text; copy and cut do nothing; paste works (password managers).
#pragma once

#include "crypto/securebuffer.h"

#include <QColor>
#include <QFont>
#include <QQuickPaintedItem>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class SecretInput : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    // Accessible name and description (the visible label and hint next to the field).
    Q_PROPERTY(QString label READ label WRITE setLabel NOTIFY labelChanged)
    Q_PROPERTY(QString hint READ hint WRITE setHint NOTIFY hintChanged)
    Q_PROPERTY(bool revealed READ revealed WRITE setRevealed NOTIFY revealedChanged)
    // Accepts only digits and spaces (authenticator codes).
    Q_PROPERTY(bool digitsOnly READ digitsOnly WRITE setDigitsOnly NOTIFY formatChanged)
    Q_PROPERTY(int maximumLength READ maximumLength WRITE setMaximumLength NOTIFY formatChanged)
    Q_PROPERTY(QFont font READ font WRITE setFont NOTIFY appearanceChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY appearanceChanged)
    Q_PROPERTY(QColor selectionColor READ selectionColor WRITE setSelectionColor NOTIFY appearanceChanged)
    Q_PROPERTY(QColor selectedTextColor READ selectedTextColor WRITE setSelectedTextColor NOTIFY appearanceChanged)
    Q_PROPERTY(qreal leftPadding READ leftPadding WRITE setLeftPadding NOTIFY appearanceChanged)
    Q_PROPERTY(qreal rightPadding READ rightPadding WRITE setRightPadding NOTIFY appearanceChanged)
    // Facts only: code points typed (what the mask shows), those other than spaces, empty.
    Q_PROPERTY(int length READ length NOTIFY lengthChanged)
    Q_PROPERTY(int significantLength READ significantLength NOTIFY lengthChanged)
    Q_PROPERTY(bool empty READ empty NOTIFY lengthChanged)

public:
    explicit SecretInput(QQuickItem* parent = nullptr);
    ~SecretInput() override;

    static constexpr char32_t kMask = U'\u2022';

    QString label() const { return m_label; }
    void setLabel(const QString& label);
    QString hint() const { return m_hint; }
    void setHint(const QString& hint);
    bool revealed() const { return m_revealed; }
    void setRevealed(bool revealed);
    bool digitsOnly() const { return m_digitsOnly; }
    void setDigitsOnly(bool digitsOnly);
    int maximumLength() const { return m_maximumLength; }
    void setMaximumLength(int maximumLength);
    QFont font() const { return m_font; }
    void setFont(const QFont& font);
    QColor color() const { return m_color; }
    void setColor(const QColor& color);
    QColor selectionColor() const { return m_selectionColor; }
    void setSelectionColor(const QColor& color);
    QColor selectedTextColor() const { return m_selectedTextColor; }
    void setSelectedTextColor(const QColor& color);
    qreal leftPadding() const { return m_leftPadding; }
    void setLeftPadding(qreal padding);
    qreal rightPadding() const { return m_rightPadding; }
    void setRightPadding(qreal padding);

    int length() const { return m_length; }
    int significantLength() const;
    bool empty() const { return m_length == 0; }

    Q_INVOKABLE void clear();
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void paste();

    // C++ only: the typed text as UTF-8. View-models read it when QML hands them the item.
    SecureBuffer secret() const;
    // For a call that still takes a QString: a temporary the caller wipes (gh::wipe) at once.
    QString secretString() const;

    // What an accessibility client (and the screen) may read: the mask, or the text when revealed.
    QString visibleText(int start, int end) const;
    int cursorPosition() const { return m_cursor; }
    void setCursorPosition(int position);
    bool allSelected() const { return m_allSelected && m_length > 0; }
    void setAllSelected(bool selected);
    // Edits from an accessibility client (EditableText): write-only, like typing.
    void removeRange(int start, int end);
    void insertAt(int position, const QString& text);
    QRectF characterRectangle(int offset) const; // item coordinates
    int offsetAt(QPointF itemPoint) const;

    void paint(QPainter* painter) override;
    QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;

Q_SIGNALS:
    void labelChanged();
    void hintChanged();
    void revealedChanged();
    void formatChanged();
    void appearanceChanged();
    void lengthChanged();
    void accepted();
    void textEdited(); // by the person (keys, paste, input method, accessibility), not clear()

protected:
    void componentComplete() override;
    void keyPressEvent(QKeyEvent* event) override;
    void inputMethodEvent(QInputMethodEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void itemChange(ItemChange change, const ItemChangeData& data) override;

private:
    bool accepts(char32_t c) const;
    void insertText(const QString& text); // at the cursor, replacing a select-all
    void removeAt(int start, int count, bool byPerson);
    void reserve(int codePoints);
    char32_t at(int i) const;
    QString displayString() const; // mask or text; wipe() it after use
    qreal textX(int offset) const; // x of a caret before `offset`, in item coordinates
    void ensureCursorVisible();
    // The colour setters: store, repaint, tell QML.
    void setAppearanceColor(QColor& member, const QColor& color);
    void restartBlink();
    void changed(bool byPerson);

    QString m_label;
    QString m_hint;
    bool m_revealed = false;
    bool m_digitsOnly = false;
    int m_maximumLength = 1024;
    QFont m_font;
    QColor m_color = Qt::black;
    QColor m_selectionColor = QColor(0x1f, 0x55, 0xc4);
    QColor m_selectedTextColor = Qt::white;
    qreal m_leftPadding = 8;
    qreal m_rightPadding = 8;

    SecureBuffer m_chars; // char32_t code points, capacity m_chars.size() / 4
    int m_length = 0;
    int m_cursor = 0;
    bool m_allSelected = false;
    qreal m_scroll = 0;
    bool m_caretOn = false;
    QTimer m_blink;
};

} // namespace gh::ui
