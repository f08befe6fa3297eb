#include "passwordpolicy.h"

#include <pwquality.h>

#include "../crypto/securebuffer.h"

#include <QList>
#include <QScopeGuard>

#include <mutex>

namespace gh {

namespace {

// libpwquality is used for its dictionary check only (cracklib): every composition knob stays
// at 0 and the system's /etc/security/pwquality.conf is deliberately not read, so a distro
// policy cannot bring composition rules back (NIST SP 800-63B forbids them).
struct Dictionary {
    std::mutex lock; // cracklib keeps static state
    pwquality_settings_t* settings = nullptr;
    Dictionary() {
        settings = pwquality_default_settings();
        if (!settings)
            return;
        pwquality_set_int_value(settings, PWQ_SETTING_MIN_LENGTH, 6); // lengths are checked by us
        pwquality_set_int_value(settings, PWQ_SETTING_DICT_CHECK, 1);
        pwquality_set_int_value(settings, PWQ_SETTING_USER_CHECK, 0); // context words are ours
        pwquality_set_int_value(settings, PWQ_SETTING_GECOS_CHECK, 0);
        pwquality_set_int_value(settings, PWQ_SETTING_MIN_CLASS, 0);
        pwquality_set_int_value(settings, PWQ_SETTING_MAX_REPEAT, 0);
        pwquality_set_int_value(settings, PWQ_SETTING_MAX_CLASS_REPEAT, 0);
        pwquality_set_int_value(settings, PWQ_SETTING_MAX_SEQUENCE, 0);
    }
    ~Dictionary() { pwquality_free_settings(settings); }
};

Dictionary& dictionary() {
    static Dictionary d;
    return d;
}

// True (with the reason) when cracklib finds the password guessable.
bool blocklisted(const QByteArray& utf8, QString* reason) {
    Dictionary& d = dictionary();
    std::lock_guard guard(d.lock);
    if (!d.settings)
        return false;
    void* aux = nullptr;
    const int rc = pwquality_check(d.settings, utf8.constData(), nullptr, nullptr, &aux);
    if (rc >= 0) {
        return false;
    }
    if (rc != PWQ_ERROR_CRACKLIB_CHECK && rc != PWQ_ERROR_PALINDROME) {
        // Any other verdict is a composition-style rule we do not apply.
        return false;
    }
    char buffer[PWQ_MAX_ERROR_MESSAGE_LEN];
    *reason = QString::fromUtf8(pwquality_strerror(buffer, sizeof buffer, rc, aux));
    return true;
}

// A password that is one short unit repeated ("sunshinesunshine", "abcabcabcabcabc") is as weak
// as the unit; cracklib does not catch repetitions of a whole word.
bool repetitive(const QList<uint>& cps) {
    const qsizetype n = cps.size();
    for (qsizetype unit = 1; unit <= n / 2; ++unit) {
        if (n % unit != 0)
            continue;
        bool repeats = true;
        for (qsizetype i = unit; i < n && repeats; ++i)
            repeats = cps[i] == cps[i - unit];
        if (repeats)
            return true;
    }
    return false;
}

// "Built from" a context word: once every occurrence of the word, digits, punctuation and
// spaces are removed, fewer than four letters are left.
bool builtFrom(const QString& lowered, const QString& word) {
    if (word.size() < 3)
        return false;
    if (!lowered.contains(word))
        return false;
    QString rest = lowered;
    rest.remove(word);
    int letters = 0;
    for (QChar c : std::as_const(rest))
        if (c.isLetter())
            ++letters;
    wipe(rest); // what is left of the password
    return letters < 4;
}

} // namespace

QString PasswordPolicy::normalise(const QString& password) {
    return password.normalized(QString::NormalizationForm_KC);
}

int PasswordPolicy::codePoints(const QString& text) {
    return static_cast<int>(text.toUcs4().size());
}

PasswordVerdict PasswordPolicy::check(const SecureBuffer& password, const QString& username, bool mfaRequired) {
    QString text = QString::fromUtf8(password.chars(), static_cast<qsizetype>(password.size()));
    PasswordVerdict v = check(text, username, mfaRequired);
    wipe(text);
    return v;
}

PasswordVerdict PasswordPolicy::check(const QString& raw, const QString& username, bool mfaRequired) {
    PasswordVerdict v;
    // Every copy of the password made here is wiped on the way out (ST-06; best effort under
    // Qt's implicit sharing: these copies are ours alone).
    QString password = normalise(raw);
    QList<uint> cps = password.toUcs4();
    QByteArray utf8;
    QString lowered;
    QList<uint> loweredCps;
    const auto wipeCopies = qScopeGuard([&] {
        wipe(password);
        wipe(utf8);
        wipe(lowered);
        wipeBytes(cps.data(), static_cast<std::size_t>(cps.size()) * sizeof(uint));
        wipeBytes(loweredCps.data(), static_cast<std::size_t>(loweredCps.size()) * sizeof(uint));
    });
    v.codePoints = static_cast<int>(cps.size());
    v.minimum = mfaRequired ? kMinWithMfa : kMinSingleFactor;
    if (password.isEmpty()) {
        v.issue = PasswordIssue::Empty;
        return v;
    }
    for (uint c : std::as_const(cps)) {
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
            v.issue = PasswordIssue::InvalidCharacters;
            return v;
        }
    }
    utf8 = password.toUtf8();
    if (utf8.size() > kHardCapBytes) {
        v.issue = PasswordIssue::TooLong;
        return v;
    }
    if (v.codePoints < v.minimum) {
        v.issue = PasswordIssue::TooShort;
        return v;
    }
    lowered = password.toLower();
    for (const QString& word : {username.toLower(), QStringLiteral("gatehouse")}) {
        if (builtFrom(lowered, word)) {
            v.issue = PasswordIssue::ContextWord;
            v.reason = word;
            return v;
        }
    }
    loweredCps = lowered.toUcs4();
    if (repetitive(loweredCps)) {
        v.issue = PasswordIssue::Blocklisted;
        v.reason = QStringLiteral("it repeats a short pattern");
    } else if (blocklisted(utf8, &v.reason)) {
        v.issue = PasswordIssue::Blocklisted;
    }
    return v;
}

QString PasswordPolicy::explain(const PasswordVerdict& v) {
    switch (v.issue) {
    case PasswordIssue::None:
        return QStringLiteral("Good: %1 characters, not on the list of common passwords.").arg(v.codePoints);
    case PasswordIssue::Empty:
        return QStringLiteral("Enter a password of at least %1 characters.").arg(v.minimum);
    case PasswordIssue::TooShort:
        return QStringLiteral("Use at least %1 characters (%2 so far). Several unrelated words make a long "
                              "password that is easy to remember.")
            .arg(v.minimum)
            .arg(v.codePoints);
    case PasswordIssue::TooLong:
        return QStringLiteral("Passwords are limited to %1 bytes.").arg(kHardCapBytes);
    case PasswordIssue::Blocklisted:
        return QStringLiteral("This password is too easy to guess (%1). Choose something less predictable, "
                              "such as several unrelated words.")
            .arg(v.reason);
    case PasswordIssue::ContextWord:
        return QStringLiteral("Do not build the password from “%1”: it is the first thing an attacker tries.")
            .arg(v.reason);
    case PasswordIssue::InvalidCharacters:
        return QStringLiteral("Passwords cannot contain control characters such as line breaks or tabs.");
    }
    return {};
}

} // namespace gh
