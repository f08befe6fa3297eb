// Account notices (issue 16, OTP-04, FIDO-04, RC-03): a list per account in the vault's notices
// table. Adding never replaces what is there; a notice stays until its owner dismisses it; the
// sign-in shows the ones not shown before. An alert on a topic that is still waiting to be shown
// is not added twice, so a flood of replays cannot grow the list without bound. L2 (accounts);
// the facade decides who may read and dismiss.
#pragma once

#include "../errors.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace gh {

class Vault;

struct NoticeRecord {
    qint64 id = 0;
    qint64 userId = 0;
    QDateTime created;
    bool alert = false; // a security alert (replayed code, cloned key) rather than information
    QString topic;      // e.g. "totp.replayed"; empty for one-off information
    QString text;
    bool shown = false; // delivered with a sign-in at least once
};

class NoticeStore {
public:
    explicit NoticeStore(Vault& vault) : m_vault(vault) {}

    // Appends a notice for one account (inside the caller's transaction when one is open).
    Status add(qint64 userId, const QString& text, qint64 now, bool alert = false, const QString& topic = {});
    // Appends the same notice for every enabled holder of a role (e.g. alerts for administrators).
    Status addForRole(const QString& role, const QString& text, qint64 now, bool alert, const QString& topic);
    // Not dismissed, oldest first.
    Result<QList<NoticeRecord>> open(qint64 userId);
    // Marks every open notice of the account as shown.
    Status markShown(qint64 userId, qint64 now);
    // false when the account has no such open notice.
    Result<bool> dismiss(qint64 userId, qint64 id, qint64 now);

private:
    Vault& m_vault;
};

} // namespace gh
