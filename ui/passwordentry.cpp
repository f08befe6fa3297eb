#include "passwordentry.h"

#include "verification/passwordpolicy.h"

#include <algorithm>

namespace gh::ui {

PasswordEntry::PasswordEntry(Checker checker, QObject* parent) : QObject(parent), m_checker(std::move(checker)) {
    check({});
}

void PasswordEntry::setPassword(const QString& text) {
    m_password = SecureBuffer::fromUtf8(text);
    check(text);
}

void PasswordEntry::setRepeat(const QString& text) {
    m_repeat = SecureBuffer::fromUtf8(text);
    Q_EMIT changed();
}

void PasswordEntry::setContext(const QString& username) {
    if (m_context == username)
        return;
    m_context = username;
    // Re-check with the new context word; the temporary string is wiped right after.
    QString text = QString::fromUtf8(m_password.chars(), static_cast<qsizetype>(m_password.size()));
    check(text);
    wipe(text);
}

void PasswordEntry::clear() {
    m_password = SecureBuffer();
    m_repeat = SecureBuffer();
    check({});
}

bool PasswordEntry::matches() const {
    // Both entries come from the same person at the same keyboard: no timing secret to protect.
    return !m_password.isEmpty() && m_password.size() == m_repeat.size() &&
           std::equal(m_password.data(), m_password.data() + m_password.size(), m_repeat.data());
}

void PasswordEntry::check(const QString& text) {
    m_verdict = m_checker(text, m_context);
    m_explanation = text.isEmpty() ? QString() : PasswordPolicy::explain(m_verdict);
    Q_EMIT changed();
}

void PasswordEntry::setPassword(SecretInput* text) {
    QString textText = text ? text->secretString() : QString();
    setPassword(textText);
    wipe(textText);
}

void PasswordEntry::setRepeat(SecretInput* text) {
    QString textText = text ? text->secretString() : QString();
    setRepeat(textText);
    wipe(textText);
}

} // namespace gh::ui
