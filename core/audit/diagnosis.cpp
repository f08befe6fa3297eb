#include "diagnosis.h"

namespace gh {

namespace {

Diagnosis make(Layer layer, bool problem, const QString& title, const QString& explanation, const QString& fix) {
    return Diagnosis{layer, problem, title, explanation, fix};
}

bool has(const QString& text, const char* needle) {
    return text.contains(QLatin1String(needle), Qt::CaseInsensitive);
}

Diagnosis wrongPassword(const QString& who) {
    return make(Layer::Verification, true, QStringLiteral("Wrong password"),
                QStringLiteral("The password given for %1 did not match (or no such account exists; Gatehouse "
                               "answers both the same way so names cannot be probed). The first factor failed.")
                    .arg(who),
                QStringLiteral("Type the password again, minding Caps Lock and the keyboard layout. If it is "
                               "forgotten, an administrator resets it and hands over a temporary one (People, or "
                               "gatehousectl user reset-password %1); repeated failures from someone else are an "
                               "attack that throttling slows down.")
                    .arg(who));
}

Diagnosis wrongCode(const QString& who) {
    return make(Layer::Verification, true, QStringLiteral("Wrong code"),
                QStringLiteral("The code from the authenticator app for %1 did not match. The password was "
                               "right; the second factor failed.")
                    .arg(who),
                QStringLiteral("Use the code the app shows now for this account (the entry named Gatehouse). "
                               "If codes never work, the phone's clock may be off: turn on automatic time."));
}

Diagnosis genericByLayer(const AuditEvent& e) {
    const bool problem = e.outcome == Outcome::Denied || e.outcome == Outcome::Failed;
    const QString what = e.action.isEmpty() ? QStringLiteral("This event") : QStringLiteral("'%1'").arg(e.action);
    if (!problem)
        return make(e.layer, false, QStringLiteral("Recorded"),
                    QStringLiteral("%1 was recorded as %2; nothing failed.").arg(what, outcomeName(e.outcome)), {});
    switch (e.layer) {
    case Layer::Storage:
        return make(Layer::Storage, true, QStringLiteral("Storage problem"),
                    QStringLiteral("%1 failed in L1 (the encrypted vault or its key).").arg(what),
                    QStringLiteral("Check that the vault file is present and owner-only, and that its key is in "
                                   "the keychain (or the passphrase is right)."));
    case Layer::Verification:
        return make(Layer::Verification, true, QStringLiteral("A credential did not verify"),
                    QStringLiteral("%1 failed in L2: a password, code or key did not prove who this is.").arg(what),
                    QStringLiteral("Retry with the right credential; if it keeps failing for someone who did not "
                                   "try, treat it as an attack and review the account."));
    case Layer::Session:
        return make(Layer::Session, true, QStringLiteral("Session not valid"),
                    QStringLiteral("%1 failed in L3: the session used was unknown, ended or expired.").arg(what),
                    QStringLiteral("Sign in again. If this was not you, end the account's other sessions (Active "
                                   "sessions, or gatehousectl sessions revoke --others)."));
    case Layer::Access:
        return make(Layer::Access, true, QStringLiteral("Not permitted"),
                    QStringLiteral("%1 was refused in L4: the signed-in person is who they claim, but their "
                                   "roles do not allow it.")
                        .arg(what),
                    QStringLiteral("If they should be allowed, an administrator assigns a role that holds the "
                                   "permission (Roles, or gatehousectl role assign USER ROLE); otherwise nothing "
                                   "needs fixing: the check worked."));
    case Layer::None:
        break;
    }
    return make(Layer::None, true, QStringLiteral("Failed"),
                QStringLiteral("%1 failed (%2).").arg(what, e.detail.isEmpty() ? outcomeName(e.outcome) : e.detail),
                QStringLiteral("Read the detail and retry with corrected input."));
}

AuditEvent eventFor(const QString& action, Layer layer, const QString& detail) {
    AuditEvent e;
    e.action = action;
    e.layer = layer;
    e.outcome = Outcome::Denied;
    e.actor = QStringLiteral("the account");
    e.subject = QStringLiteral("the account");
    e.detail = detail;
    return e;
}

} // namespace

QString layerTitle(Layer layer) {
    switch (layer) {
    case Layer::Storage:
        return QStringLiteral("L1 storage");
    case Layer::Verification:
        return QStringLiteral("L2 credential verification");
    case Layer::Session:
        return QStringLiteral("L3 session management");
    case Layer::Access:
        return QStringLiteral("L4 access control");
    case Layer::None:
        break;
    }
    return QStringLiteral("general");
}

Diagnosis diagnose(const AuditEvent& e) {
    // L1 before anything the event says: what it says may not be what happened.
    if (!e.broken.isEmpty())
        return make(Layer::Storage, true, QStringLiteral("Changed after it was recorded"),
                    QStringLiteral("This event does not check out against the audit chain (%1). Someone with the "
                                   "vault key changed the log, so what the event says cannot be trusted.")
                        .arg(e.broken),
                    QStringLiteral("Run 'audit verify' to find the first broken event; keep a copy of the vault as "
                                   "evidence and compare the log with a backup."));
    const QString& a = e.action;
    const QString& d = e.detail;
    const QString who = e.subject.isEmpty() ? e.actor : e.subject;
    const QString actor = e.actor;

    // L2: credentials.
    if (a == QLatin1String("login.failed") && d.startsWith(QLatin1String("identification:")))
        return make(Layer::Verification, true, QStringLiteral("Unknown name"),
                    QStringLiteral("The identification stage failed: the name typed (recorded masked as %1) is no "
                                   "account here, so no password was checked against an account. The person "
                                   "signing in was told the same as for a wrong password, so names cannot be "
                                   "probed.")
                        .arg(who),
                    QStringLiteral("A typo in the name: sign in with the right one. Many different unknown names in "
                                   "a short time are credential stuffing (leaked name/password lists), which "
                                   "Gatehouse detects and slows down."));
    if (a == QLatin1String("login.failed") && d.startsWith(QLatin1String("verification: wrong password"))) {
        Diagnosis dx = wrongPassword(who);
        dx.explanation = QStringLiteral("The verification stage failed: %1 is an account, and the password given "
                                        "did not match. The first factor failed.")
                             .arg(who);
        return dx;
    }
    if (a == QLatin1String("attack.credential_stuffing"))
        return make(Layer::Verification, true, QStringLiteral("Credential stuffing"),
                    QStringLiteral("Passwords failed against many accounts and unknown names in a short time (%1): "
                                   "someone is trying a leaked list of names and passwords, each pair once. This is "
                                   "an attack on identification across many accounts, unlike brute force, which "
                                   "guesses many passwords for one account.")
                        .arg(d),
                    QStringLiteral("Sign-ins are slowed down until it subsides. Find the source named here and stop "
                                   "it; every account that signed in with its password meanwhile must change it "
                                   "(they were told), and those passwords must not be used anywhere else."));
    // ATK-04: the owner's way in while the password path is shut by someone else's guesses.
    if (a == QLatin1String("login.passwordless")) {
        const bool shut = d.contains(QLatin1String("password path is"));
        return make(Layer::Verification, false, // allowed: the owner got in; the guessing is the news
                    shut ? QStringLiteral("Signed in with a security key while the password was blocked")
                         : QStringLiteral("Signed in with a security key"),
                    shut ? QStringLiteral("%1 signed in without the password, with a registered security key that "
                                          "verified them (PIN or fingerprint: two factors, AAL3), while the "
                                          "password path was throttled or locked by failed attempts (%2). Locking "
                                          "out was no weapon, but someone has been guessing the password.")
                               .arg(who, d)
                         : QStringLiteral("%1 signed in without the password, with a registered security key that "
                                          "verified them (PIN or fingerprint: two factors, AAL3).")
                               .arg(who),
                    shut ? QStringLiteral("Find the source of the failed attempts in the log (login.failed for %1); "
                                          "%1 should change the password if it may be known.")
                               .arg(who)
                         : QString());
    }
    if (a == QLatin1String("attack.signed_in_during"))
        return make(Layer::Verification, true, QStringLiteral("Password probably leaked"),
                    QStringLiteral("%1's password proved right while credential stuffing was in progress, from the "
                                   "source of the attack: it is on a leaked list.")
                        .arg(who),
                    QStringLiteral("%1 changes the password now (they were told) and ends sessions they do not "
                                   "recognise; a second factor keeps a leaked password from being enough.")
                        .arg(who));
    if (a == QLatin1String("attack.credential_stuffing_ended"))
        return make(Layer::Verification, false, QStringLiteral("Credential stuffing over"),
                    QStringLiteral("The attack subsided (%1); sign-ins are no longer slowed down.").arg(d),
                    QStringLiteral("Make sure every account listed changed its password."));
    if (a == QLatin1String("login.slowed"))
        return make(Layer::Verification, true, QStringLiteral("Sign-in slowed during an attack"),
                    QStringLiteral("While credential stuffing is in progress, password sign-ins are paced, most for "
                                   "the source of the failures (%1).")
                        .arg(d),
                    QStringLiteral("Wait the time shown and sign in again; the pacing ends with the attack."));
    if (a == QLatin1String("login.failed")) {
        if (has(d, "after the right password"))
            return make(Layer::Verification, true, QStringLiteral("Password may be known to someone else"),
                        QStringLiteral("%1's password was right, and then wrong authenticator codes followed "
                                       "repeatedly (%2). Someone who knows the password may be guessing the second "
                                       "factor; a phone clock that is off fails once, not again and again.")
                            .arg(who, d),
                        QStringLiteral("If these attempts were not %1's own: the password may be known to someone "
                                       "else; change it now and review the account's sessions. If they were: use "
                                       "the code the app shows now and turn on automatic time on the phone.")
                            .arg(who));
        if (has(d, "recovery"))
            return make(Layer::Verification, true, QStringLiteral("Wrong recovery code"),
                        QStringLiteral("A recovery code for %1 did not match any unused code of the current set. "
                                       "Each code works once; regenerating the set voids the old codes.")
                            .arg(who),
                        QStringLiteral("Use an unused code from the most recent set (format XXXX-XXXX-XXXX-XXXX), "
                                       "or sign in with the authenticator app and make a new set (My security, or "
                                       "gatehousectl factor add-recovery)."));
        if (has(d, "expired code"))
            return make(Layer::Verification, true, QStringLiteral("Code from the wrong time"),
                        QStringLiteral("The authenticator code for %1 is valid for another moment: it is older or "
                                       "newer than the ±30 s Gatehouse accepts.")
                            .arg(who),
                        QStringLiteral("Enter the current code right away; if this repeats, set the phone's and "
                                       "this computer's clocks to automatic time."));
        if (has(d, "code"))
            return wrongCode(who);
        if (has(d, "password") || d.isEmpty())
            return wrongPassword(who);
        return genericByLayer(e);
    }
    if (a == QLatin1String("factor.confirm_failed"))
        return make(Layer::Verification, true, QStringLiteral("Enrollment code wrong"),
                    QStringLiteral("The first code from the new authenticator for %1 did not match, so the factor "
                                   "stays pending and unused.")
                        .arg(who),
                    QStringLiteral("Scan the QR code again (or retype the key) and enter the code the app shows now."));
    if (a == QLatin1String("factor.remove_failed") || a == QLatin1String("password.change_failed"))
        return make(Layer::Verification, true, QStringLiteral("Current password wrong"),
                    QStringLiteral("%1 needs the current password again, and the one given for %2 did not match.")
                        .arg(a == QLatin1String("password.change_failed") ? QStringLiteral("Changing the password")
                                                                          : QStringLiteral("Removing a factor"),
                             who),
                    QStringLiteral("Retype the current password; it counts towards the same throttling as logins."));
    if (a == QLatin1String("login.throttled"))
        return make(Layer::Verification, true, QStringLiteral("Throttled after repeated failures"),
                    QStringLiteral("Too many failed attempts for one account, %1, so Gatehouse refuses new attempts "
                                   "for it for a while (%2). Many guesses at one account are brute force; this is "
                                   "the L2 defence against it working as intended (other accounts are not slowed).")
                        .arg(who, d.isEmpty() ? QStringLiteral("growing delay") : d),
                    QStringLiteral("Wait for the delay to pass and use the right credential. If the failures were "
                                   "not yours, someone is guessing: keep the account's second factor on."));
    if (a == QLatin1String("login.locked"))
        return make(Layer::Verification, true, QStringLiteral("Account locked"),
                    QStringLiteral("%1 reached the hard limit of failed attempts (%2) and is locked: even the right "
                                   "password is refused. This is the L2 defence against guessing.")
                        .arg(who, d.isEmpty() ? QStringLiteral("100 failures") : d),
                    QStringLiteral("An administrator unlocks it (People, or gatehousectl user unlock %1) after "
                                   "checking the failures were not an attack.")
                        .arg(who));
    if (a == QLatin1String("totp.replayed"))
        return make(Layer::Verification, true, QStringLiteral("Code used twice"),
                    QStringLiteral("An authenticator code for %1 that had already been accepted was presented again. "
                                   "Each code works once, so a code seen over a shoulder or captured cannot be reused.")
                        .arg(who),
                    QStringLiteral("Wait for the app's next code. If it was not the account holder who reused it, "
                                   "someone has seen their codes: review the account's sessions."));
    if (a == QLatin1String("login.denied")) {
        if (has(d, "disabled"))
            return make(Layer::Verification, true, QStringLiteral("Account disabled"),
                        QStringLiteral("%1 gave the right password, but the account is disabled.").arg(who),
                        QStringLiteral("An administrator enables the account (People, or gatehousectl user enable "
                                       "%1) if it should be in use.")
                            .arg(who));
        if (has(d, "temporary"))
            return make(Layer::Verification, true, QStringLiteral("Temporary password expired"),
                        QStringLiteral("The one-time password issued to %1 was not replaced within 72 hours and no "
                                       "longer works.")
                            .arg(who),
                        QStringLiteral("An administrator issues a new temporary password (People, or gatehousectl user "
                                       "reset-password %1); change it at the next sign-in.")
                            .arg(who));
        return genericByLayer(e);
    }

    // L3: sessions.
    if (a == QLatin1String("session.expired"))
        return make(Layer::Session, true, QStringLiteral("Session expired"),
                    QStringLiteral("The session of %1 ran out (%2): sessions end after a period of inactivity and "
                                   "after a fixed lifetime, so a forgotten sign-in cannot be used later.")
                        .arg(actor, d.isEmpty() ? QStringLiteral("lifetime reached") : d),
                    QStringLiteral("Sign in again. Nothing is wrong unless sessions expire much sooner than the "
                                   "policy says."));
    // A revocation is an action someone took, not a failure of L3 (issue 13 item 7).
    if (a.startsWith(QLatin1String("session.revoked")) ||
        (a == QLatin1String("session.ended") && (has(d, "revoked") || has(d, "ended by"))))
        return make(Layer::Session, false, QStringLiteral("Session ended on purpose"),
                    QStringLiteral("%1 ended a session before its lifetime (%2): by its owner elsewhere, by an "
                                   "administrator, or because the account's roles or factors changed. Nothing "
                                   "failed; session management did what it was asked.")
                        .arg(actor, d.isEmpty() ? QStringLiteral("revoked") : d),
                    QStringLiteral("Nothing to fix. Whoever held the session signs in again; if nobody meant to end "
                                   "it, the actor of this event did."));
    if (a == QLatin1String("session.step_up_required"))
        return make(Layer::Session, false, QStringLiteral("Confirm it's you (step-up)"),
                    QStringLiteral("The session of %1 is valid, but '%2' is sensitive and needs a full sign-in from "
                                   "the last %3 minutes; the session's was older, so the person was asked to "
                                   "confirm it's them. This is not an invalid, ended or expired session.")
                        .arg(actor, d.isEmpty() ? QStringLiteral("the operation") : d)
                        .arg(5),
                    QStringLiteral("Confirm with the password (and second factor) when asked, then retry."));
    if (a == QLatin1String("session.rejected"))
        return make(Layer::Session, true, QStringLiteral("Session no longer valid"),
                    QStringLiteral("An operation by %1 came with a session that is unknown, ended or expired, so it "
                                   "was refused before any permission was considered.")
                        .arg(actor),
                    QStringLiteral("Sign in again. Repeated rejections of a session nobody uses mean a stolen or "
                                   "replayed session secret: end the account's sessions (Active sessions, or "
                                   "gatehousectl sessions revoke ID)."));

    // L4: access control.
    if (a == QLatin1String("factor.binding_refused"))
        return make(Layer::Access, true, QStringLiteral("Enrollment grant required"),
                    QStringLiteral("%1 tried to add a first second factor with a password alone, and %1's roles reach "
                                   "other people's data. A leaked password must not be enough to bind the attacker's "
                                   "own authenticator, so binding needs an enrollment grant.")
                        .arg(actor),
                    QStringLiteral("If it was %1: an administrator runs gatehousectl user allow-enrollment %1 (single "
                                   "use, 72 h), then %1 enrolls. If it was not: %1's password is known to someone "
                                   "else; reset it.")
                        .arg(actor));
    if (a == QLatin1String("access.read_other"))
        return make(Layer::Access, false, QStringLiteral("Another account's data read"),
                    QStringLiteral("%1 %2. Allowed by L4: the role holds the permission. If that role should not "
                                   "reach other people's data, it is over-broad.")
                        .arg(actor, d),
                    QStringLiteral("Nothing to fix if %1 needs this. Otherwise take the permission out of the role "
                                   "(Roles, or gatehousectl role) or the role away from %1.")
                        .arg(actor));
    if (a == QLatin1String("access.denied")) {
        const QString permission = e.subject;
        if (has(d, "password change"))
            return make(Layer::Access, true, QStringLiteral("Password change required first"),
                        QStringLiteral("%1 signed in with a temporary (or compromised) password, so the session may "
                                       "only change it; '%2' was refused.")
                            .arg(actor, permission),
                        QStringLiteral("Change the password (the sign-in asks for it, or gatehousectl passwd), then "
                                       "retry."));
        if (has(d, "second factor"))
            return make(
                Layer::Access, true, QStringLiteral("Privileged account without a second factor"),
                QStringLiteral("%1's roles hold permissions that administer or read other people's data, which "
                               "require a second factor, and %1 has not signed in with one; until then only "
                               "enrolling is allowed ('%2' was refused).")
                    .arg(actor, permission),
                QStringLiteral("Enroll an authenticator app or security key (My security, or gatehousectl factor "
                               "add-totp), then sign in with it."));
        if (has(d, "last") && has(d, "admin"))
            return make(Layer::Access, true, QStringLiteral("Last administrator protected"),
                        QStringLiteral("The change would leave no administrator, so it was refused (%1).").arg(d),
                        QStringLiteral("Make another account an administrator first (Roles, or gatehousectl role "
                                       "assign USER admin), then retry."));
        if (has(d, "step-up") || has(d, "fresh") || has(d, "re-auth"))
            return make(Layer::Access, true, QStringLiteral("Recent sign-in required"),
                        QStringLiteral("'%1' is sensitive and needs a sign-in from the last few minutes; the session "
                                       "of %2 is older.")
                            .arg(permission, actor),
                        QStringLiteral("Confirm it's you with the password (and second factor) when asked, or sign "
                                       "in again (every command of the CLI signs in afresh), then retry."));
        return make(Layer::Access, true, QStringLiteral("Permission denied"),
                    QStringLiteral("%1 is signed in and verified, but their roles do not grant '%2'%3. Authentication "
                                   "worked; authorization refused.")
                        .arg(actor, permission, d.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(d)),
                    QStringLiteral("If %1 should be allowed, an administrator assigns a role that holds '%2' (Roles, "
                                   "or gatehousectl role assign %1 ROLE). Otherwise the check did its job.")
                        .arg(actor, permission));
    }

    // L1: the vault and its key.
    if (a.startsWith(QLatin1String("vault."))) {
        if (has(a, "key_missing") || has(d, "key missing") || has(d, "no key"))
            return diagnose(Error{Errc::KeyMissing, d, 0});
        if (has(a, "wrong_key") || has(d, "wrong key"))
            return diagnose(Error{Errc::VaultWrongKey, d, 0});
    }
    return genericByLayer(e);
}

Diagnosis diagnose(const Error& error) {
    switch (error.code) {
    case Errc::KeyMissing:
        return make(Layer::Storage, true, QStringLiteral("Vault key missing"),
                    QStringLiteral("The keychain answers but holds no key for this vault, so it cannot be decrypted. "
                                   "Gatehouse never falls back to a key stored in plain text."),
                    QStringLiteral("Sign in to the desktop session whose keychain holds the key (it is stored under "
                                   "'vault:' and the vault path), or restore the keychain from its backup."));
    case Errc::VaultWrongKey:
        return make(Layer::Storage, true, QStringLiteral("Wrong vault key"),
                    QStringLiteral("The key or passphrase given does not decrypt the vault."),
                    QStringLiteral("Use the passphrase the vault was created with, or the keychain that holds its key; "
                                   "a vault file copied from elsewhere needs that machine's key."));
    case Errc::KeychainUnavailable:
        return make(Layer::Storage, true, QStringLiteral("Keychain unavailable"),
                    QStringLiteral("No Secret Service answered, so the vault key cannot be read."),
                    QStringLiteral("Start the desktop keychain (GNOME Keyring, KWallet) and retry."));
    case Errc::KeychainLocked:
        return make(Layer::Storage, true, QStringLiteral("Keyring locked"),
                    QStringLiteral("The Secret Service answered, but the keyring holding the vault key is locked."),
                    QStringLiteral("Unlock the keyring (desktop login or the keyring manager) and retry."));
    case Errc::VaultRolledBack:
        return make(Layer::Storage, true, QStringLiteral("Vault rolled back"), describe(error),
                    QStringLiteral("Put the newest vault back, or accept a deliberate restore with "
                                   "gatehousectl vault accept-restore (as the service's own user; audited)."));
    case Errc::PassphraseRequired:
        return make(Layer::Storage, true, QStringLiteral("Passphrase required"),
                    QStringLiteral("This vault is protected with a passphrase instead of a keychain key."),
                    QStringLiteral("Enter the vault passphrase."));
    case Errc::VaultCorrupt:
    case Errc::VaultNotAVault:
        return make(Layer::Storage, true, QStringLiteral("Vault damaged or not a vault"), describe(error),
                    QStringLiteral("Restore the vault file from a backup."));
    case Errc::AuthenticationFailed:
        return wrongPassword(QStringLiteral("the account"));
    case Errc::CodeWrong:
        return wrongCode(QStringLiteral("the account"));
    case Errc::SessionInvalid:
        if (has(error.detail, "revoked") || has(error.detail, "ended by"))
            return diagnose(eventFor(QStringLiteral("session.ended"), Layer::Session, error.detail));
        return diagnose(eventFor(QStringLiteral("session.rejected"), Layer::Session, error.detail));
    case Errc::StepUpRequired:
        return diagnose(eventFor(QStringLiteral("session.step_up_required"), Layer::Session, error.detail));
    case Errc::Throttled:
        return diagnose(eventFor(
            QStringLiteral("login.throttled"), Layer::Verification,
            error.retryAfterSeconds > 0 ? QStringLiteral("retry in %1 s").arg(error.retryAfterSeconds) : QString()));
    case Errc::LockedOut:
        return diagnose(eventFor(QStringLiteral("login.locked"), Layer::Verification, {}));
    case Errc::CodeReplayed:
        return diagnose(eventFor(QStringLiteral("totp.replayed"), Layer::Verification, {}));
    case Errc::CodeExpired:
        return diagnose(eventFor(QStringLiteral("login.failed"), Layer::Verification, QStringLiteral("expired code")));
    case Errc::AccountDisabled:
        return diagnose(
            eventFor(QStringLiteral("login.denied"), Layer::Verification, QStringLiteral("account disabled")));
    case Errc::NotPermitted:
    case Errc::LastAdministrator:
        return diagnose(eventFor(QStringLiteral("access.denied"), Layer::Access, error.detail));
    default:
        break;
    }
    const Layer layer = layerOf(error.code);
    return make(layer, true, describe(error), describe(error),
                layer == Layer::Access ? QStringLiteral("Ask an administrator for a role that allows it (Roles, or "
                                                        "gatehousectl role assign USER ROLE).")
                                       : QString());
}

} // namespace gh
