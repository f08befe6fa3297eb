// Live password-policy feedback for a "new password + repeat" pair (first run, change password,
// vault passphrase). QML hands each keystroke in through setPassword()/setRepeat(); the text is
// copied into SecureBuffers at once and never offered back (STYLE.md #5). Only facts about it are
// readable: code points, minimum, whether it is acceptable, whether both entries match.
#pragma once

#include "crypto/securebuffer.h"
#include "verification/passwordpolicy.h"

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace gh::ui {

class PasswordEntry : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("PasswordEntry belongs to a screen's view-model")
    Q_PROPERTY(int codePoints READ codePoints NOTIFY changed)
    Q_PROPERTY(int minimum READ minimum NOTIFY changed)
    Q_PROPERTY(bool empty READ empty NOTIFY changed)
    Q_PROPERTY(bool acceptable READ acceptable NOTIFY changed)
    Q_PROPERTY(bool repeatEmpty READ repeatEmpty NOTIFY changed)
    Q_PROPERTY(bool matches READ matches NOTIFY changed)
    Q_PROPERTY(bool ready READ ready NOTIFY changed)
    // The policy's guidance sentence for the current text (PasswordPolicy::explain).
    Q_PROPERTY(QString explanation READ explanation NOTIFY changed)

public:
    // check(text, context) runs the policy; `context` is the username (a context word).
    using Checker = std::function<PasswordVerdict(const QString&, const QString&)>;
    explicit PasswordEntry(Checker checker, QObject* parent = nullptr);

    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).

    Q_INVOKABLE void setPassword(gh::ui::SecretInput* text);

    void setPassword(const QString& text);
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void setRepeat(gh::ui::SecretInput* text);
    void setRepeat(const QString& text);
    void setContext(const QString& username); // re-checks the held password
    void clear();

    int codePoints() const { return m_verdict.codePoints; }
    int minimum() const { return m_verdict.minimum; }
    bool empty() const { return m_password.isEmpty(); }
    bool acceptable() const { return !empty() && m_verdict.acceptable(); }
    bool repeatEmpty() const { return m_repeat.isEmpty(); }
    bool matches() const;
    bool ready() const { return acceptable() && matches(); }
    QString explanation() const { return m_explanation; }

    const SecureBuffer& password() const { return m_password; }

Q_SIGNALS:
    void changed();

private:
    void check(const QString& text);

    Checker m_checker;
    QString m_context;
    SecureBuffer m_password;
    SecureBuffer m_repeat;
    PasswordVerdict m_verdict;
    QString m_explanation;
};

} // namespace gh::ui
