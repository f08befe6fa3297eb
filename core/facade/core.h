// Private to the facade: the context its services share (gh::Core, formerly Gatehouse::Impl).
// One Core per gh::Gatehouse; every service (StatusService, LoginService, …) holds a reference to
// it. It owns what every concern needs: the injected clock, random source and key store, the hash
// parameters, the open vault with its audit log, session, role and notice stores, the throttle
// helpers, record() and findUser(), authorize(), issueSession(), and the facade's one lock.
//
// Locking: `lock` is a plain std::mutex. Every public service method takes it once (and releases
// it only around Argon2id); nothing here takes it, so every helper below runs with it held. It is
// not recursive: no method calls a locking method while it holds the lock (a locked method that
// needs another's work uses its unlocked "…Locked" helper or a Core helper; fullLogin() and
// stepUp() call the login steps only with the lock released).
#pragma once

#include "errors.h"
#include "origin.h"
#include "plaintext.h"
#include "types.h"

#include "access/permissions.h"
#include "apps/apppermissions.h"
#include "audit/auditlog.h"
#include "clock.h"
#include "crypto/passwordhash.h"
#include "crypto/random.h"
#include "crypto/securebuffer.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/factors.h"
#include "verification/passwordpolicy.h"

#include "access/rolestore.h"
#include "crypto/primitives.h"
#include "sessions/sessionstore.h"
#include "verification/fido2.h"
#include "verification/notices.h"
#include "verification/stuffing.h"
#include "verification/throttle.h"
#include "verification/usernames.h"

#include <QHash>
#include <QLoggingCategory>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace gh {

Q_DECLARE_LOGGING_CATEGORY(lcCore)

// Alphabet for temporary passwords: no look-alikes (0/O, 1/l/I).
inline constexpr const char* kTempAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
inline constexpr int kTempGroups = 4; // 4 groups of 5 = 20 symbols ≈ 99 bits
inline constexpr int kTempGroupLength = 5;

struct UserRow {
    qint64 id = 0;
    QString username;
    QByteArray hash;
    QString role;
    bool enabled = true;
    bool mustChange = false;
    qint64 passwordExpiresAt = 0; // 0: none
    qint64 createdAt = 0;
    qint64 lastLoginAt = 0;
};

// The NFKC form of a password held in a SecureBuffer, as a SecureBuffer (PW-03). The QString
// temporaries are wiped; Qt may still have copied them, which is the best a QString allows.
inline SecureBuffer normalisedPassword(const SecureBuffer& password) {
    QString text = QString::fromUtf8(password.chars(), static_cast<qsizetype>(password.size()));
    QString norm = PasswordPolicy::normalise(text);
    wipe(text);
    SecureBuffer out = SecureBuffer::fromUtf8(norm);
    wipe(norm);
    return out;
}

QString factorNames(const QList<FactorKind>& factors);
QList<FactorKind> parseFactors(const QString& names);
QString restrictionReason(Restriction restriction);

// The last-administrator guard (AC-06) as people read it: a guard, not a missing permission.
// `what`: what would have happened ("cannot be disabled").
inline Error lastAdministrator(const QString& username, const QString& what) {
    return Error{Errc::LastAdministrator,
                 QStringLiteral("%1 is the only administrator — make someone else one first (the last administrator "
                                "%2)")
                     .arg(username, what),
                 0};
}

// The accounts an audit event is by and about (users.id; 0: not an account). Own-history reads
// match on these, never on names (AC-02), so every event about an account passes them.
struct AuditParties {
    qint64 actor = 0;
    qint64 subject = 0;
};

struct Core {
    Core() = default;
    Core(const Core&) = delete;
    Core& operator=(const Core&) = delete;

    // The facade lock (see the top of this file).
    std::mutex lock;

    // Per account: moves on whenever the account is disabled, deleted or its password reset by an
    // administrator in this process, so a login pending since before cannot complete (red team
    // t03; a pending login lives in this process only; changes in other processes show in the
    // stored hash and the enabled flag, which the login compares as well).
    std::map<qint64, quint64> generations;
    quint64 accountGeneration(qint64 userId) const {
        const auto it = generations.find(userId);
        return it == generations.end() ? 0 : it->second;
    }
    void accountChanged(qint64 userId) { ++generations[userId]; }

    std::unique_ptr<SystemClock> ownClock;
    std::unique_ptr<SystemRandom> ownRandom;
    std::unique_ptr<SecretServiceKeyStore> ownKeys;
    Clock* clock = nullptr;
    RandomSource* random = nullptr;
    KeyStore* keys = nullptr;
    Argon2Params hashParams;
    Argon2Params kdfParams;
    std::unique_ptr<Vault> vault;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<SessionStore> sessions;

    // Where the vault's key lives, for people (empty without a vault).
    QString keyLocation() const;

    ~Core() {
        if (audit)
            flushRepeats(true); // gatehoused stops
    }
    void attach(std::unique_ptr<Vault> v) {
        if (audit)
            flushRepeats(true); // the counts belong to the vault being left
        sessions.reset();
        audit.reset();
        vault = std::move(v);
        dummy.clear();
        audit = std::make_unique<AuditLog>(*vault, *clock);
        sessions = std::make_unique<SessionStore>(*vault, *clock, *random);
        roleStore = std::make_unique<RoleStore>(*vault);
        notices = std::make_unique<NoticeStore>(*vault);
        stuffing = StuffingDetector{};
        if (auto p = readStuffingPolicy())
            stuffing.setPolicy(*p);
        repeats.clear();
    }
    std::unique_ptr<RoleStore> roleStore;
    std::unique_ptr<NoticeStore> notices;

    // ---- Applications (issue 11; core/apps, authorityservice.cpp) ----
    // What applications declare, read from appDirs at construction and again whenever roles are
    // created or edited or the declarations are listed (reloadApps).
    QStringList appDirs;
    AppPermissions apps;
    void reloadApps() { apps = AppPermissions::load(appDirs); }
    // A session issued to an application (AuthorityService::delegate): only the asked
    // permissions its person's roles hold, cached here so CheckPermission answers from memory.
    // `generation` is rolesGeneration when `held` was read; a role change moves rolesGeneration
    // on, and the next check (or changedScopes) reads the roles again.
    struct AppScope {
        QString appId;
        QStringList asked;
        QStringList held;
        QStringList roles;
        qint64 userId = 0;
        QString username;
        quint64 generation = 0;
    };
    QHash<QString, AppScope> appScopes; // session id → scope
    quint64 rolesGeneration = 1;
    void rolesChanged() { ++rolesGeneration; }
    bool isAppSession(const QString& sessionId) const { return appScopes.contains(sessionId); }

    using Parties = AuditParties;
    static Parties by(qint64 actor) { return {actor, 0}; }
    static Parties self(qint64 account) { return {account, account}; }

    Status record(const QString& actor, const QString& action, Layer layer, Outcome outcome,
                  FactorCategory factor = FactorCategory::None, const QString& subject = {}, const QString& detail = {},
                  Parties ids = {}) {
        flushRepeats(false); // counts of folded repeats are written before what follows them
        return appendEvent(auditEvent(actor, action, layer, outcome, factor, subject, detail, ids));
    }
    // The event record() would write, with the caller's origin.
    static AuditEvent auditEvent(const QString& actor, const QString& action, Layer layer, Outcome outcome,
                                 FactorCategory factor, const QString& subject, const QString& detail, Parties ids) {
        AuditEvent e;
        e.actor = actor;
        e.action = action;
        e.layer = layer;
        e.outcome = outcome;
        e.factor = factor;
        e.subject = subject;
        e.detail = detail;
        // The attempt's source as the bus vouched for it (gatehoused sets it per call, issue 10),
        // in its own field so a client's words in the detail cannot pass for it; calls made
        // in-process have none.
        e.origin = currentOrigin().describe();
        e.actorId = ids.actor;
        e.subjectId = ids.subject;
        return e;
    }
    Status appendEvent(AuditEvent e) {
        Status s = audit->append(std::move(e));
        if (!s)
            qCWarning(lcCore) << "audit append failed:" << s.error().detail;
        return s;
    }

    Result<std::optional<UserRow>> findUser(const QString& where, const QVariant& key) {
        const QByteArray sql = "SELECT id, username, password_hash, role, enabled, must_change_password, "
                               "coalesce(password_expires_at, 0), created_at, coalesce(last_login_at, 0) "
                               "FROM users WHERE " +
                               where.toLatin1() + " = ?";
        auto st = vault->db().prepare(sql.constData());
        if (!st)
            return st.error();
        if (key.typeId() == QMetaType::QString)
            st->bind(1, key.toString());
        else
            st->bind(1, key.toLongLong());
        if (!st->step()) {
            if (st->failed())
                return st->error();
            return std::optional<UserRow>();
        }
        UserRow u;
        u.id = st->int64(0);
        u.username = st->text(1);
        u.hash = st->text(2).toLatin1();
        u.role = st->text(3);
        u.enabled = st->int64(4) != 0;
        u.mustChange = st->int64(5) != 0;
        u.passwordExpiresAt = st->int64(6);
        u.createdAt = st->int64(7);
        u.lastLoginAt = st->int64(8);
        return std::optional<UserRow>(u);
    }
    // The account a typed name names, once normalised (`valid`: none for a name that is not valid).
    Result<std::optional<UserRow>> accountNamed(const std::optional<QString>& valid) {
        if (!valid)
            return std::optional<UserRow>();
        return findUser(QStringLiteral("username"), *valid);
    }
    // The account named `username` (already normalised); Errc::UserNotFound when there is none.
    Result<UserRow> existingUser(const QString& username) {
        auto found = findUser(QStringLiteral("username"), username);
        if (!found)
            return found.error();
        if (!found->has_value())
            return Errc::UserNotFound;
        return **found;
    }

    struct ThrottleState {
        int failures = 0;
        qint64 lastFailure = 0;
        qint64 seq = 0; // charges so far (never goes back)
    };

    Result<ThrottleState> throttleOf(const QString& name) {
        auto st =
            vault->db().prepare("SELECT failures, last_failure_at, charge_seq FROM login_throttle WHERE username = ?");
        if (!st)
            return st.error();
        st->bind(1, name);
        ThrottleState t;
        if (st->step()) {
            t.failures = static_cast<int>(st->int64(0));
            t.lastFailure = st->int64(1);
            t.seq = st->int64(2);
        }
        if (st->failed())
            return st->error();
        return t;
    }

    // A charge: failures + 1, with the time, in the caller's transaction.
    Status countFailure(const QString& name) {
        // SQLCipher 3.4 predates UPSERT: update, then insert when there was no row.
        auto update = vault->db().prepare("UPDATE login_throttle SET failures = failures + 1, last_failure_at = ?, "
                                          "charge_seq = charge_seq + 1 WHERE username = ?");
        if (!update)
            return update.error();
        update->bind(1, clock->nowSecs()).bind(2, name);
        if (Status s = update->done(); !s)
            return s;
        if (vault->db().changes() > 0)
            return ok();
        auto insert = vault->db().prepare(
            "INSERT INTO login_throttle(username, failures, last_failure_at, charge_seq) VALUES (?, 1, ?, 1)");
        if (!insert)
            return insert.error();
        insert->bind(1, name).bind(2, clock->nowSecs());
        return insert->done();
    }

    // Takes back `n` charges of attempts whose credential proved right: failures - n, never below
    // zero, and never an older value or time written back (RL-01: charges that other processes
    // made meanwhile stay). Inside the caller's transaction when one is open.
    Status refundAttempt(const QString& name, int n = 1) {
        if (n <= 0)
            return ok();
        return vault->transaction([&]() -> Status {
            auto st = vault->db().prepare(
                "UPDATE login_throttle SET failures = max(failures - ?, 0) WHERE username = ? AND failures > 0");
            if (!st)
                return st.error();
            st->bind(1, n).bind(2, name);
            return st->done();
        });
    }

    // Only unlockUser and the owner's way out of the hard lock clear the whole count (RL-03).
    // The row stays, so charge_seq never repeats a value a pending login may hold.
    Status clearFailures(const QString& name) {
        auto st = vault->db().prepare("UPDATE login_throttle SET failures = 0 WHERE username = ?");
        if (!st)
            return st.error();
        st->bind(1, name);
        return st->done();
    }

    // The throttle row of an account's name goes with the account (deleteUser) and a new account
    // starts without one (addUser), so a name re-added inherits no count or lock (red team t11,
    // t18). Never for a live account: only unlockUser and the owner's way out clear those.
    Status dropThrottle(const QString& name) {
        auto st = vault->db().prepare("DELETE FROM login_throttle WHERE username = ?");
        if (!st)
            return st.error();
        st->bind(1, name);
        return st->done();
    }

    SessionInfo infoOf(const SessionRecord& r, const UserRow& u) {
        SessionInfo info;
        info.id = r.id;
        info.username = u.username;
        info.role = u.role;
        info.client = r.client;
        info.created = r.created;
        info.expires = r.expires;
        info.factors = parseFactors(r.factors);
        info.aal = static_cast<Aal>(r.aal);
        // What was proven: factors enrolled by the session are held, not proven (issue 16).
        info.factor = info.aal >= Aal::Aal2 ? FactorCategory::Possession : FactorCategory::Knowledge;
        info.restriction = static_cast<Restriction>(r.restriction);
        info.restricted = info.restriction != Restriction::None;
        info.restrictionReason = restrictionReason(info.restriction);
        fillSessionTimes(info, r);
        return info;
    }

    // What a login that proved `factors` may do: a temporary password must be replaced first; an
    // account whose roles hold a permission over other people's data (requiresSecondFactor,
    // built-in and custom roles alike) without two categories may only enroll a factor. Roles that
    // cannot be read restrict (fail closed, AC-05).
    Restriction restrictionFor(const UserRow& u, const QList<FactorKind>& factors) {
        if (u.mustChange)
            return Restriction::ChangePassword;
        if (assuranceOf(factors) < Aal::Aal2) {
            auto held = roleStore->permissionsOf(u.id);
            if (!held || requiresSecondFactor(*held))
                return Restriction::EnrollSecondFactor;
        }
        return Restriction::None;
    }

    // Creates the session record (inside the caller's transaction) and audits it. A new sign-in
    // starts from scratch. A re-issue `continues` a live session (SES-03, SES-04): its absolute
    // deadline never moves; freshness moves only with `renewsFreshness` (a step-up, the full
    // proof); `aal` is what was proven (0: what `factors` prove, for a sign-in or step-up).
    // `replacing`: the session a step-up replaces (it ends in the same transaction, so it does not
    // count against the session limit).
    Result<Session> issueSession(const UserRow& u, const QString& client, const QList<FactorKind>& factors,
                                 const QString& why, const SessionRecord* continues = nullptr,
                                 bool renewsFreshness = true, int aal = 0, const QString& replacing = {}) {
        if (Status l = enforceSessionLimit(u, replacing); !l)
            return l.error();
        SessionRecord r;
        r.userId = u.id;
        r.client = client;
        r.restriction = static_cast<int>(restrictionFor(u, factors));
        r.factors = factorNames(factors);
        r.aal = aal > 0 ? aal : static_cast<int>(assuranceOf(factors));
        Session session;
        SessionStore::Continuation continuation;
        continuation.from = continues;
        continuation.renewsFreshness = renewsFreshness;
        auto record = sessions->issue(r, session.secret, continuation);
        if (!record)
            return record.error();
        session.info = infoOf(record.value(), u);
        if (Status a = this->record(u.username, QStringLiteral("session.issued"), Layer::Session, Outcome::Allowed,
                                    session.info.factor, record->id,
                                    QStringLiteral("%1; %2; %3").arg(client, aalName(session.info.aal), why), by(u.id));
            !a)
            return a.error();
        return session;
    }

    // ---- Attacks (issue 13; attacks.cpp) ----
    // The credential-stuffing detector (verification/stuffing.h). Its window lives in this
    // process's memory: gatehoused is the only process that opens the vault, so it sees every
    // attempt; what it finds goes to the audit log and to notices, which persist.
    StuffingDetector stuffing;
    QHash<QString, QString> sourceNames; // stuffing source key → how people read it
    // The attempt's source: the bus peer's uid when the daemon knows it (stable across the
    // processes one attacker starts), else the client name of an in-process caller.
    QString sourceKey(const QString& client);
    // "source: gatehousectl (uid 1000, pid 42, pts/3, bus :1.7)" or "source: client test".
    QString sourceText(const QString& client) const;
    Result<StuffingPolicy> readStuffingPolicy();
    Status writeStuffingPolicy(const StuffingPolicy& policy);
    // Refuses a password sign-in from `client` that comes before its paced slot while an attack
    // is in progress (Errc::Throttled with the wait), else books the slot.
    Status paceSignIn(const QString& client);
    // A password failure (stage: identification for an unknown or invalid name, verification for
    // a wrong password); a trip is audited and every administrator told.
    void stuffingFailure(const QString& name, bool unknownName, const QString& client);
    // A password that proved right: during an attack the account is flagged (audited, its owner
    // and every administrator told).
    void stuffingSuccess(const UserRow& u, const QString& client, bool flaggedAlready = false);
    // Slides the window; records the end of an attack that subsided.
    void pollStuffing();
    // Every enabled account holding users.manage or roles.assign (the administrators, by permission).
    Result<QList<qint64>> administratorIds();
    Status noticeAdministrators(const QString& text, const QString& topic);

    // Repeated events of one kind (throttled or paced attempts, rejected sessions) are recorded
    // once per window and key. Once the window has ended, an event with the last folded one's
    // fields and source says how many were folded (red team t26: the count was written only if the
    // same kind came again, so an attacker who stopped left one row for a minute's flood). It is
    // written before the first audit event after the window (record() looks at most once a
    // second), when the facade closes, before a vault switch and when the table is full;
    // gatehoused also looks every few seconds (Gatehouse::flushAudit).
    struct Repeat {
        qint64 firstMs = 0;
        qint64 windowSecs = 0;
        int folded = 0;
        AuditEvent last; // the last folded event, as record() would have written it
    };
    QHash<QString, Repeat> repeats;
    qint64 repeatsScannedMs = 0;
    QList<AuditEvent> foldedCounts; // rows of ended windows not written yet
    static constexpr qint64 kRepeatWindowSecs = 60;
    static constexpr qsizetype kMaxRepeatKeys = 10000;
    // Ends the window of every key whose window is over (all: every key), then writes the count
    // rows waiting (in one transaction, or in the caller's: kept for another try if it rolls back).
    void flushRepeats(bool all);
    // Queues the key's count row (if anything was folded) and forgets the key; the next key.
    QHash<QString, Repeat>::iterator endWindow(QHash<QString, Repeat>::iterator it);
    static AuditEvent foldedCountRow(const Repeat& r);

    Status recordRepeated(const QString& key, const QString& actor, const QString& action, Layer layer, Outcome outcome,
                          FactorCategory factor, const QString& subject, const QString& detail, Parties ids = {},
                          qint64 windowSecs = kRepeatWindowSecs);

    // Sessions (core.cpp).
    void fillSessionTimes(SessionInfo& info, const SessionRecord& r) const;
    // SessionLimit from meta; refuses or ends the oldest before a new session of `u` is issued.
    Result<SessionLimit> readSessionLimit();
    Status enforceSessionLimit(const UserRow& u, const QString& replacing);
    // Audits an L3 rejection with the reason the store gave (idle, absolute, revoked …).
    void auditRejected(const Session& session, const Error& error);

    // Login-flow steps (core.cpp).
    // Refuses when locked or throttled, else charges. `exemptIfSeq`: the second factor of a login
    // whose password step's charge (that sequence number) is still the latest charge skips the
    // delay (not the lock): password and first code are one attempt, as they were before charges
    // were kept apart. Any other charge in between ends the exemption. `seqOut`: this charge's.
    // `inFlightOnly` (optional): set, with nothing recorded, when the attempt would be refused only
    // because of this facade's own attempts still being verified (see inFlight below); the caller
    // may wait for them (waitForInFlight) and try again.
    Status chargeAttempt(const QString& name, FactorCategory factor, qint64 userId = 0,
                         std::optional<qint64> exemptIfSeq = std::nullopt, qint64* seqOut = nullptr,
                         bool* inFlightOnly = nullptr);
    // Charges that this facade made and whose credential is still being verified outside the lock
    // (beginLogin's Argon2id), per throttle name. They count as failures until they settle (so
    // parallel guesses never share a throttle window), but an attempt that is refused only because
    // of them waits for them instead: five parallel right passwords are no reason to throttle the
    // sixth (issue 10 red team). Other processes' charges count in full (fail closed).
    std::map<QString, int> inFlight;
    std::condition_variable inFlightSettled;
    // Marks one charged attempt as in flight for its scope; destroyed with the facade lock held.
    class InFlightCharge {
    public:
        InFlightCharge(Core& impl, const QString& name) : m_impl(impl), m_name(name) { ++m_impl.inFlight[m_name]; }
        ~InFlightCharge() {
            if (--m_impl.inFlight[m_name] <= 0)
                m_impl.inFlight.erase(m_name);
            m_impl.inFlightSettled.notify_all();
        }
        InFlightCharge(const InFlightCharge&) = delete;
        InFlightCharge& operator=(const InFlightCharge&) = delete;

    private:
        Core& m_impl;
        QString m_name;
    };
    static constexpr int kInFlightWaitMs = 30000; // then the attempt is refused as throttled
    void failAttempt(const QString& name, const QString& action, FactorCategory factor, const QString& detail,
                     Outcome outcome = Outcome::Failed, qint64 userId = 0);
    QString maskedName(const QString& typed);
    Status ensureDummyHash();
    QByteArray dummyHash();
    QByteArray dummy; // cached dummy PHC string of this vault
    static constexpr char kNameMaskContext[8] = {'g', 'h', 'n', 'a', 'm', 'e', 's', '1'};
    Result<bool> holdsSecondFactor(qint64 userId);
    // Argon2id parameters for recovery codes: the OWASP floor, or the (cheaper) test parameters.
    Argon2Params recoveryParams() const {
        return hashParams.meetsFloor() ? Argon2Params{Argon2Params::kMinOps, Argon2Params::kMinMem} : hashParams;
    }

    struct Caller {
        SessionRecord record;
        UserRow user;
        QList<Permission> permissions; // what the user's roles grant now
    };
    // ---- Trust bootstrap (issue 13 item 4, ATK-03; attacks.cpp) ----
    // A password alone never binds a first second factor to an account whose roles hold a
    // permission over other people's data: binding needs an enrollment grant, given by set-up (the
    // first administrator), by a temporary password (add or reset: valid as long as it is), or by
    // an administrator (AccountsService::allowEnrollment, 72 h). Single use: the binding consumes
    // it. Kept in meta ("enrollment_grant.<user id>" → "<expires at>;<how>").
    static constexpr qint64 kEnrollmentGrantSecs = 72 * 3600;
    Status grantEnrollment(qint64 userId, qint64 expiresAt, const QString& how);
    Result<std::optional<QString>> enrollmentGrant(qint64 userId); // how it was given, when valid
    Status consumeEnrollmentGrant(qint64 userId);
    // Refuses (Errc::NotPermitted, audited at L4) a first second factor for a privileged account
    // without a grant; anything else passes.
    Status requireEnrollmentGrant(const Caller& caller, const QString& what);
    // Every administrator but `owner` learns that a factor was added to or removed from `owner`'s
    // account (the owner's own notice is the caller's).
    void announceFactorChange(const UserRow& owner, const QString& text);

    // A read of other people's data that `permission` allowed (issue 13 item 6): audited in L4 as
    // access.read_other, allowed, with the object and the role(s) that allowed it, so an over-broad
    // role shows in the log. Repeats of one reader, object and permission within kReadRepeatSecs
    // fold into one row. `owner`: the account whose data it is (empty and 0: every account's).
    static constexpr qint64 kReadRepeatSecs = 10 * 60;
    void auditForeignRead(const Caller& caller, Permission permission, const QString& what, const QString& owner = {},
                          qint64 ownerId = 0);
    // Denies (audited at L4) when `caller` lacks any of `wanted`: nobody grants what they do not hold.
    Status requireHeld(const Caller& caller, const QList<Permission>& wanted, const QString& object);

    // The account a call is about: the caller's own (needs `own`), or the one `username` names when
    // that is another (needs `any` as well, checked with the name as its object, then the name must
    // be valid and the account exist). Empty `username`: the caller's own.
    Result<UserRow> accountFor(const Session& session, Permission own, Permission any, const QString& username);

    // L3 then L4: the session must be live, its user enabled, and the user's role must grant
    // `permission`. A restricted session may only change its password. Denials are audited.
    // Roles are read from the vault at every call (AC-04); a read error denies (AC-05). `object`
    // (a username, role, …) goes into the audit record of a denial.
    Result<Caller> authorize(const Session& session, Permission permission, const QString& object = {}) {
        if (!vault)
            return Errc::VaultNotFound;
        auto record = sessions->validateNow(session.secret);
        if (!record) {
            auditRejected(session, record.error());
            return record.error();
        }
        auto user = findUser(QStringLiteral("id"), record->userId);
        if (!user)
            return user.error();
        if (!user->has_value() || !(*user)->enabled) {
            (void)sessions->end(record->id, QStringLiteral("user disabled"));
            return Errc::SessionInvalid;
        }
        // An application's token works on io.gatehouse.Authority1 only (AuthorityService): it
        // never reaches Gatehouse's own functions, whatever its person's roles hold.
        if (isAppSession(record->id)) {
            (void)this->record((*user)->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                               FactorCategory::None, permissionName(permission),
                               QStringLiteral("application token of %1 used on Gatehouse's own functions")
                                   .arg(appScopes.value(record->id).appId),
                               by((*user)->id));
            return Error{Errc::NotPermitted,
                         QStringLiteral("an application's token works only on io.gatehouse.Authority1"), 0};
        }
        const auto restriction = static_cast<Restriction>(record->restriction);
        if (restriction == Restriction::ChangePassword && permission != Permission::PasswordChangeOwn) {
            (void)this->record((*user)->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                               FactorCategory::None, permissionName(permission),
                               QStringLiteral("restricted session: password change required"), by((*user)->id));
            return Errc::PasswordChangeRequired;
        }
        if (restriction == Restriction::EnrollSecondFactor && permission != Permission::PasswordChangeOwn &&
            permission != Permission::FactorsManageOwn) {
            const QString why =
                QStringLiteral("accounts that administer or read other people's data need a second factor; enroll "
                               "one first");
            (void)this->record((*user)->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                               FactorCategory::None, permissionName(permission), why, by((*user)->id));
            return Error{Errc::NotPermitted, why, 0};
        }
        const QString on = object.isEmpty() ? QString() : QStringLiteral(" on %1").arg(object);
        auto held = roleStore->permissionsOf((*user)->id);
        if (!held) {
            (void)this->record((*user)->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                               FactorCategory::None, permissionName(permission),
                               QStringLiteral("failed closed%1: roles unreadable (%2)").arg(on, describe(held.error())),
                               by((*user)->id));
            return Error{Errc::NotPermitted, QStringLiteral("the roles could not be read, so access is refused"), 0};
        }
        if (!isSelfService(permission) && !held->contains(permission)) {
            auto names = roleStore->rolesOf((*user)->id);
            const QString roleText = names && !names->isEmpty() ? names->join(u", ") : QStringLiteral("none");
            (void)this->record((*user)->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                               FactorCategory::None, permissionName(permission),
                               QStringLiteral("missing %1%2; roles: %3").arg(permissionName(permission), on, roleText),
                               by((*user)->id));
            return Error{
                Errc::NotPermitted,
                QStringLiteral("missing permission %1 (your roles: %2)").arg(permissionName(permission), roleText), 0};
        }
        // Administrative functions and reading other people's data need a two-factor session (AC-06;
        // issue 13 item 5), also when the role that grants them was assigned after the sign-in.
        if (requiresSecondFactor(permission) && record->aal < static_cast<int>(Aal::Aal2)) {
            (void)this->record((*user)->username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                               FactorCategory::None, permissionName(permission),
                               QStringLiteral("%1%2 from a one-factor session (needs a second factor)")
                                   .arg(isAdministrative(permission) ? QStringLiteral("administrative function")
                                                                     : QStringLiteral("other people's data"),
                                        on),
                               by((*user)->id));
            // The account holds a second factor now (enrolled by this session): a step-up with it
            // proves what is needed (SES-04), so say so in the way the GUI and CLI act on.
            auto second = holdsSecondFactor((*user)->id);
            if (second && *second)
                return Error{Errc::StepUpRequired,
                             QStringLiteral("%1 is an administrative function: confirm it's you with your password "
                                            "and your second factor")
                                 .arg(permissionName(permission)),
                             0};
            return Error{Errc::NotPermitted,
                         QStringLiteral("%1 %2 and needs a two-factor sign-in")
                             .arg(permissionName(permission), isAdministrative(permission)
                                                                  ? QStringLiteral("is an administrative function")
                                                                  : QStringLiteral("reaches other people's data")),
                         0};
        }
        return Caller{record.value(), **user, held.value()};
    }

    // SES-04: sensitive operations (factors, passwords, roles, other sessions, policy) need a full
    // authentication within SessionStore::kFreshSecs; else Errc::StepUpRequired (audited).
    Status requireFresh(const Caller& caller, const QString& what);
};

} // namespace gh
