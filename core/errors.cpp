#include "errors.h"

#include <QCoreApplication>

#include <algorithm>

namespace gh {

Layer layerOf(Errc code) {
    switch (code) {
    case Errc::VaultNotFound:
    case Errc::VaultExists:
    case Errc::VaultWrongKey:
    case Errc::VaultNotAVault:
    case Errc::VaultCorrupt:
    case Errc::VaultNewerSchema:
    case Errc::VaultRolledBack:
    case Errc::KeychainLocked:
    case Errc::VaultReadOnly:
    case Errc::VaultIo:
    case Errc::VaultBusy:
    case Errc::KeyMissing:
    case Errc::KeychainUnavailable:
    case Errc::PassphraseRequired:
    case Errc::ServiceUnavailable:
        return Layer::Storage;
    case Errc::AuthenticationFailed:
    case Errc::Throttled:
    case Errc::LockedOut:
    case Errc::AccountDisabled:
    case Errc::PasswordRejected:
    case Errc::PasswordChangeRequired:
    case Errc::SecondFactorRequired:
    case Errc::CodeWrong:
    case Errc::CodeExpired:
    case Errc::CodeReplayed:
    case Errc::LoginExpired:
    case Errc::KeyNotFound:
    case Errc::KeyNotRegistered:
    case Errc::KeyAlreadyRegistered:
    case Errc::KeyPinRequired:
    case Errc::KeyPinWrong:
    case Errc::KeyPinBlocked:
    case Errc::KeyTimeout:
    case Errc::KeyDenied:
    case Errc::KeyCancelled:
    case Errc::KeyRemoved:
    case Errc::KeyRejected:
    case Errc::KeyCloneSuspected:
        return Layer::Verification;
    case Errc::SessionInvalid:
    case Errc::StepUpRequired:
    case Errc::SessionLimitReached:
        return Layer::Session;
    case Errc::NotPermitted:
    case Errc::LastAdministrator:
        return Layer::Access;
    case Errc::InvalidUsername:
    case Errc::UserExists:
    case Errc::UserNotFound:
    case Errc::FactorNotFound:
    case Errc::AlreadyInitialised:
    case Errc::InvalidArgument:
    case Errc::SelfTestFailed:
    case Errc::Internal:
    case Errc::ServiceBusy:
        break;
    }
    return Layer::None;
}

QString layerName(Layer layer) {
    if (layer == Layer::None)
        return QStringLiteral("-");
    return QStringLiteral("L%1").arg(static_cast<int>(layer));
}

int exitCodeOf(Errc code) {
    switch (code) {
    case Errc::AuthenticationFailed:
    case Errc::AccountDisabled:
    case Errc::SessionInvalid:
    case Errc::PasswordChangeRequired:
    case Errc::SecondFactorRequired:
    case Errc::CodeWrong:
    case Errc::CodeExpired:
    case Errc::CodeReplayed:
    case Errc::LoginExpired:
    case Errc::KeyNotFound:
    case Errc::KeyNotRegistered:
    case Errc::KeyAlreadyRegistered:
    case Errc::KeyPinRequired:
    case Errc::KeyPinWrong:
    case Errc::KeyPinBlocked:
    case Errc::KeyTimeout:
    case Errc::KeyDenied:
    case Errc::KeyCancelled:
    case Errc::KeyRemoved:
    case Errc::KeyRejected:
    case Errc::KeyCloneSuspected:
        return 3;
    case Errc::NotPermitted:
    case Errc::StepUpRequired:
    case Errc::SessionLimitReached:
    case Errc::LastAdministrator:
        return 4;
    case Errc::Throttled:
    case Errc::LockedOut:
    case Errc::ServiceBusy:
        return 5;
    default:
        break;
    }
    return layerOf(code) == Layer::Storage && code != Errc::VaultExists ? 6 : 1; // general errors: 1
}

// The messages people read (the GUI shows describe()) are translated in the context "gh" (README:
// Translations; resources/i18n lists them). Only QtCore is needed: a process without a translator
// (the service, gatehousectl) gets the English text.
static QString tr(const char* text) {
    return QCoreApplication::translate("gh", text);
}

// Security-key errors carry their message (fido2::errorOf builds it, with PIN tries left); these
// are the fallbacks when an error is made without one.
static QString describeKeyError(const Error& error) {
    if (!error.detail.isEmpty())
        return error.detail;
    switch (error.code) {
    case Errc::KeyNotFound:
        return tr("No security key found. Insert your key and try again.");
    case Errc::KeyNotRegistered:
        return tr("This security key is not registered to this account. Use a key you added.");
    case Errc::KeyAlreadyRegistered:
        return tr("This security key is already registered.");
    case Errc::KeyPinRequired:
        return tr("This security key needs its PIN. Enter the key's PIN and try again.");
    case Errc::KeyPinWrong:
        return tr("The key's PIN is wrong.");
    case Errc::KeyPinBlocked:
        return tr("The key's PIN is blocked after too many wrong tries. The key must be reset.");
    case Errc::KeyTimeout:
        return tr("The key was not touched in time. Try again and touch your key when it blinks.");
    case Errc::KeyDenied:
        return tr("The security key refused the request.");
    case Errc::KeyCancelled:
        return tr("Cancelled.");
    case Errc::KeyRemoved:
        return tr("The security key was removed. Insert it and try again.");
    case Errc::KeyRejected:
        return tr("The security key's answer failed verification.");
    case Errc::KeyCloneSuspected:
        return tr("This security key was refused: its signature counter went backwards, which can mean "
                  "the key was cloned. An administrator has been told.");
    default:
        break;
    }
    return error.detail;
}

static QString waitText(qint64 secs) {
    // Not %n plurals: gatehousectl and the service have no translator (English plural forms
    // come from one), and a count of 1 minute never occurs here.
    if (secs >= 120)
        return tr("%1 minutes").arg((secs + 59) / 60);
    return secs == 1 ? tr("1 second") : tr("%1 seconds").arg(secs);
}

QString describe(const Error& error) {
    switch (error.code) {
    case Errc::VaultNotFound:
        return tr("No vault exists at this location. Create one first (gatehousectl init, or the set-up screen).");
    case Errc::VaultExists:
        return tr("A vault already exists at this location; it was left untouched.");
    case Errc::VaultWrongKey:
        // SQLCipher 3.4 fails a wrong key and a damaged first page alike: name both (issue 17).
        return tr("The vault key does not open this vault: either the key in the keychain (or the "
                  "passphrase) is wrong, or the vault's first page is damaged (or it is not a Gatehouse "
                  "vault). Nothing was changed. If the key is right, restore the vault from a backup.");
    case Errc::VaultNotAVault:
        // The detail names what is there instead (a directory, a FIFO, a dangling link …).
        return error.detail.contains(QLatin1String(" is "))
                   ? tr("This is not a Gatehouse vault: %1. Nothing was changed.").arg(error.detail)
                   : tr("This file is not a Gatehouse vault. Nothing was changed.");
    case Errc::VaultCorrupt:
        return tr("The vault file is damaged or truncated. Nothing was changed; restore it from a backup.");
    case Errc::VaultNewerSchema:
        return tr("This vault was written by a newer version of Gatehouse. Update Gatehouse to open it; "
                  "nothing was changed.");
    case Errc::VaultRolledBack:
        return tr("The vault is older than its anti-rollback anchor (%1). Nothing was changed. If you did not restore "
                  "it "
                  "on purpose, keep this file as evidence and put the newest vault (with its -wal file) back. If you "
                  "restored a backup deliberately, accept it as the service's own user (root in system mode): "
                  "gatehousectl vault accept-restore (audited).")
            .arg(error.detail.isEmpty() ? tr("a restored copy, a lost write-ahead log or removed audit "
                                             "events")
                                        : error.detail);
    case Errc::KeychainLocked:
        return tr("The keyring that holds the vault key is locked. Unlock it (log in to the desktop, or "
                  "unlock it in your keyring manager) and try again.");
    case Errc::VaultReadOnly:
        return tr("The vault location is read-only. Choose a writable location or fix its permissions.");
    case Errc::VaultIo:
        return tr("The vault could not be read or written (disk full or an I/O error). Nothing was changed.");
    case Errc::VaultBusy:
        return tr("The vault is busy in another Gatehouse process. Try again in a moment.");
    case Errc::KeyMissing:
        return tr("The keychain holds no key for this vault. Restore the key entry (see README: "
                  "break-glass) or use the vault it belongs to.");
    case Errc::KeychainUnavailable:
        return tr("No keychain (Secret Service) answered, so the vault key cannot be read. Start a Secret "
                  "Service provider such as gnome-keyring in this desktop session and try again.");
    case Errc::PassphraseRequired:
        return tr("This vault is protected by a passphrase. Enter the vault passphrase to open it.");
    case Errc::ServiceUnavailable:
        return tr("The Gatehouse service (gatehoused) is not running and could not be started. In system "
                  "mode ask the administrator to run `systemctl start gatehoused`; in session mode check "
                  "that gatehoused is installed next to this program.");
    case Errc::AuthenticationFailed:
        return tr("Sign-in failed: unknown username or wrong password.");
    case Errc::Throttled:
        return tr("Too many failed attempts. Try again in %1.").arg(waitText(error.retryAfterSeconds));
    case Errc::LockedOut:
        return tr("This account is locked after too many failed attempts. Its owner can still sign in "
                  "with the password and a recovery code, or a security key that checks a PIN or "
                  "fingerprint; otherwise an administrator must unlock it (gatehousectl user unlock NAME).");
    case Errc::AccountDisabled:
        return tr("This account is disabled. Ask an administrator to enable it.");
    case Errc::PasswordRejected:
        return error.detail.isEmpty() ? tr("The new password does not meet the password policy.") : error.detail;
    case Errc::PasswordChangeRequired:
        return tr("Your password must be changed before you can continue.");
    case Errc::SecondFactorRequired:
        return tr("This account needs a second step: a code from your authenticator app or a recovery code.");
    case Errc::CodeWrong:
        return tr("That code is not right. Check it and try again.");
    case Errc::CodeExpired:
        return tr("That code has expired (or your device's clock is off). Enter the code your app shows now.");
    case Errc::CodeReplayed:
        return tr("That code was already used. Wait for the next code from your app.");
    case Errc::LoginExpired:
        return tr("The sign-in took too long and was cancelled. Enter your password again.");
    case Errc::SessionInvalid:
        // The detail says why (idle, absolute lifetime, revoked by whom) when it is known.
        if (!error.detail.isEmpty())
            return tr("Your session has ended (%1). Sign in again.").arg(error.detail);
        return tr("Your session has ended or expired. Sign in again.");
    case Errc::StepUpRequired:
        // The session holds a second factor it has not proven (it enrolled one): the core says so
        // in the detail, and people are told what to do rather than that time ran out.
        if (error.detail.contains(QLatin1String("second factor")))
            return tr("Confirm it's you with your password and your second factor: this session was "
                      "signed in without it.");
        return tr("Confirm it's you: sign in again (your last sign-in is more than 5 minutes old).");
    case Errc::ServiceBusy:
        return tr("The Gatehouse service is busy with too many of your requests at once. Try again in %1.")
            .arg(waitText(std::max<qint64>(error.retryAfterSeconds, 1)));
    case Errc::SessionLimitReached:
        return tr("This account already has as many open sessions as the policy allows. End one "
                  "(Active sessions, or gatehousectl sessions revoke) and try again.");
    case Errc::LastAdministrator:
        // A guard, not a missing permission: the detail names the account and what to do first.
        return error.detail.isEmpty() ? tr("This is the only administrator — make someone else one first.")
                                      : error.detail;
    case Errc::NotPermitted:
        // An L4 detail names the rule that refused (e.g. the last-administrator guard), never a secret.
        if (error.detail.isEmpty())
            return tr("You do not have permission to do this.");
        return tr("You do not have permission to do this. Reason: %1").arg(error.detail) +
               (error.detail.endsWith(u'.') ? QString() : QStringLiteral("."));
    case Errc::InvalidUsername:
        return tr(
            "Usernames are 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
    case Errc::UserExists:
        return tr("A user with this name already exists.");
    case Errc::UserNotFound:
        return tr("No such user.");
    case Errc::FactorNotFound:
        return error.detail.isEmpty() ? tr("No such factor on this account.")
                                      : tr("No such factor on this account: %1.").arg(error.detail);
    case Errc::AlreadyInitialised:
        return tr("This vault already has an administrator.");
    case Errc::InvalidArgument:
        return error.detail.isEmpty() ? tr("Invalid argument.") : error.detail;
    case Errc::SelfTestFailed:
        return tr("The cryptographic self-test failed; Gatehouse will not handle secrets on this system.");
    case Errc::Internal:
        break;
    case Errc::KeyNotFound:
    case Errc::KeyNotRegistered:
    case Errc::KeyAlreadyRegistered:
    case Errc::KeyPinRequired:
    case Errc::KeyPinWrong:
    case Errc::KeyPinBlocked:
    case Errc::KeyTimeout:
    case Errc::KeyDenied:
    case Errc::KeyCancelled:
    case Errc::KeyRemoved:
    case Errc::KeyRejected:
    case Errc::KeyCloneSuspected:
        return describeKeyError(error);
    }
    return error.detail.isEmpty() ? tr("Internal error.") : tr("Internal error: %1").arg(error.detail);
}

} // namespace gh
