#include "marshal.h"

#include "dbusapi.h"

#include <QDBusArgument>
#include <QDBusMetaType>
#include <QDBusVariant>
#include <QJsonDocument>
#include <QJsonObject>

namespace gh::wire {

namespace {

QString codeName(Errc code) {
    switch (code) {
    case Errc::VaultNotFound:
        return QStringLiteral("VaultNotFound");
    case Errc::VaultExists:
        return QStringLiteral("VaultExists");
    case Errc::VaultWrongKey:
        return QStringLiteral("VaultWrongKey");
    case Errc::VaultNotAVault:
        return QStringLiteral("VaultNotAVault");
    case Errc::VaultCorrupt:
        return QStringLiteral("VaultCorrupt");
    case Errc::VaultNewerSchema:
        return QStringLiteral("VaultNewerSchema");
    case Errc::VaultRolledBack:
        return QStringLiteral("VaultRolledBack");
    case Errc::KeychainLocked:
        return QStringLiteral("KeychainLocked");
    case Errc::VaultReadOnly:
        return QStringLiteral("VaultReadOnly");
    case Errc::VaultIo:
        return QStringLiteral("VaultIo");
    case Errc::VaultBusy:
        return QStringLiteral("VaultBusy");
    case Errc::KeyMissing:
        return QStringLiteral("KeyMissing");
    case Errc::KeychainUnavailable:
        return QStringLiteral("KeychainUnavailable");
    case Errc::PassphraseRequired:
        return QStringLiteral("PassphraseRequired");
    case Errc::ServiceUnavailable:
        return QStringLiteral("ServiceUnavailable");
    case Errc::AuthenticationFailed:
        return QStringLiteral("AuthenticationFailed");
    case Errc::Throttled:
        return QStringLiteral("Throttled");
    case Errc::LockedOut:
        return QStringLiteral("LockedOut");
    case Errc::AccountDisabled:
        return QStringLiteral("AccountDisabled");
    case Errc::PasswordRejected:
        return QStringLiteral("PasswordRejected");
    case Errc::PasswordChangeRequired:
        return QStringLiteral("PasswordChangeRequired");
    case Errc::SecondFactorRequired:
        return QStringLiteral("SecondFactorRequired");
    case Errc::CodeWrong:
        return QStringLiteral("CodeWrong");
    case Errc::CodeExpired:
        return QStringLiteral("CodeExpired");
    case Errc::CodeReplayed:
        return QStringLiteral("CodeReplayed");
    case Errc::LoginExpired:
        return QStringLiteral("LoginExpired");
    case Errc::SessionInvalid:
        return QStringLiteral("SessionInvalid");
    case Errc::NotPermitted:
        return QStringLiteral("NotPermitted");
    case Errc::InvalidUsername:
        return QStringLiteral("InvalidUsername");
    case Errc::UserExists:
        return QStringLiteral("UserExists");
    case Errc::UserNotFound:
        return QStringLiteral("UserNotFound");
    case Errc::FactorNotFound:
        return QStringLiteral("FactorNotFound");
    case Errc::AlreadyInitialised:
        return QStringLiteral("AlreadyInitialised");
    case Errc::InvalidArgument:
        return QStringLiteral("InvalidArgument");
    case Errc::SelfTestFailed:
        return QStringLiteral("SelfTestFailed");
    case Errc::Internal:
        return QStringLiteral("Internal");
    case Errc::StepUpRequired:
        return QStringLiteral("StepUpRequired");
    case Errc::KeyNotFound:
        return QStringLiteral("KeyNotFound");
    case Errc::KeyNotRegistered:
        return QStringLiteral("KeyNotRegistered");
    case Errc::KeyAlreadyRegistered:
        return QStringLiteral("KeyAlreadyRegistered");
    case Errc::KeyPinRequired:
        return QStringLiteral("KeyPinRequired");
    case Errc::KeyPinWrong:
        return QStringLiteral("KeyPinWrong");
    case Errc::KeyPinBlocked:
        return QStringLiteral("KeyPinBlocked");
    case Errc::KeyTimeout:
        return QStringLiteral("KeyTimeout");
    case Errc::KeyDenied:
        return QStringLiteral("KeyDenied");
    case Errc::KeyCancelled:
        return QStringLiteral("KeyCancelled");
    case Errc::KeyRemoved:
        return QStringLiteral("KeyRemoved");
    case Errc::KeyRejected:
        return QStringLiteral("KeyRejected");
    case Errc::KeyCloneSuspected:
        return QStringLiteral("KeyCloneSuspected");
    case Errc::SessionLimitReached:
        return QStringLiteral("SessionLimitReached");
    case Errc::ServiceBusy:
        return QStringLiteral("ServiceBusy");
    case Errc::LastAdministrator:
        return QStringLiteral("LastAdministrator");
    }
    return QStringLiteral("Internal");
}

constexpr Errc kAllCodes[] = {Errc::VaultNotFound,
                              Errc::VaultExists,
                              Errc::VaultWrongKey,
                              Errc::VaultNotAVault,
                              Errc::VaultCorrupt,
                              Errc::VaultNewerSchema,
                              Errc::VaultRolledBack,
                              Errc::KeychainLocked,
                              Errc::VaultReadOnly,
                              Errc::VaultIo,
                              Errc::VaultBusy,
                              Errc::KeyMissing,
                              Errc::KeychainUnavailable,
                              Errc::PassphraseRequired,
                              Errc::ServiceUnavailable,
                              Errc::AuthenticationFailed,
                              Errc::Throttled,
                              Errc::LockedOut,
                              Errc::AccountDisabled,
                              Errc::PasswordRejected,
                              Errc::PasswordChangeRequired,
                              Errc::SecondFactorRequired,
                              Errc::CodeWrong,
                              Errc::CodeExpired,
                              Errc::CodeReplayed,
                              Errc::LoginExpired,
                              Errc::SessionInvalid,
                              Errc::NotPermitted,
                              Errc::InvalidUsername,
                              Errc::UserExists,
                              Errc::UserNotFound,
                              Errc::FactorNotFound,
                              Errc::AlreadyInitialised,
                              Errc::InvalidArgument,
                              Errc::SelfTestFailed,
                              Errc::Internal,
                              Errc::StepUpRequired,
                              Errc::KeyNotFound,
                              Errc::KeyNotRegistered,
                              Errc::KeyAlreadyRegistered,
                              Errc::KeyPinRequired,
                              Errc::KeyPinWrong,
                              Errc::KeyPinBlocked,
                              Errc::KeyTimeout,
                              Errc::KeyDenied,
                              Errc::KeyCancelled,
                              Errc::KeyRemoved,
                              Errc::KeyRejected,
                              Errc::KeyCloneSuspected,
                              Errc::SessionLimitReached,
                              Errc::ServiceBusy,
                              Errc::LastAdministrator};

qint64 ms(const QDateTime& t) {
    return t.isValid() ? t.toMSecsSinceEpoch() : -1;
}
QDateTime time(const QVariant& v) {
    const qint64 m = v.isValid() ? v.toLongLong() : -1;
    return m < 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(m, Qt::UTC);
}
template <class E> int num(E e) {
    return static_cast<int>(e);
}
template <class E> E en(const QVariant& v, E fallback) {
    return v.isValid() ? static_cast<E>(v.toInt()) : fallback;
}
template <class E> QVariantList enumList(const QList<E>& items) {
    QVariantList out;
    for (E e : items)
        out << num(e);
    return out;
}
template <class E> QList<E> enumsFrom(const QVariant& v) {
    QList<E> out;
    for (const QVariant& item : plain(v).toList())
        out << static_cast<E>(item.toInt());
    return out;
}

} // namespace

QVariant plain(const QVariant& v) {
    if (v.metaType() == QMetaType::fromType<QDBusVariant>())
        return plain(v.value<QDBusVariant>().variant());
    if (v.metaType() != QMetaType::fromType<QDBusArgument>())
        return v;
    const QDBusArgument arg = v.value<QDBusArgument>();
    switch (arg.currentType()) {
    case QDBusArgument::MapType: {
        QVariantMap out;
        arg.beginMap();
        while (!arg.atEnd()) {
            arg.beginMapEntry();
            QString key;
            QVariant value;
            arg >> key >> value;
            arg.endMapEntry();
            out.insert(key, plain(value));
        }
        arg.endMap();
        return out;
    }
    case QDBusArgument::ArrayType: {
        QVariantList out;
        arg.beginArray();
        while (!arg.atEnd()) {
            QVariant item = arg.asVariant();
            out << plain(item);
        }
        arg.endArray();
        return out;
    }
    default:
        return arg.asVariant();
    }
}

QVariantMap mapOf(const QVariant& v) {
    return plain(v).toMap();
}

QVariantMap toMap(const AccountNotice& n) {
    return {{QStringLiteral("id"), n.id},
            {QStringLiteral("created"), ms(n.created)},
            {QStringLiteral("alert"), n.alert},
            {QStringLiteral("text"), n.text},
            {QStringLiteral("shown"), n.shown}};
}

void read(const QVariantMap& m, AccountNotice& n) {
    n.id = m.value(QStringLiteral("id")).toLongLong();
    n.created = time(m.value(QStringLiteral("created")));
    n.alert = m.value(QStringLiteral("alert")).toBool();
    n.text = m.value(QStringLiteral("text")).toString();
    n.shown = m.value(QStringLiteral("shown")).toBool();
}

QVariantMap toMap(const SessionInfo& s) {
    return {{QStringLiteral("notices"), toList(s.notices)},
            {QStringLiteral("id"), s.id},
            {QStringLiteral("username"), s.username},
            {QStringLiteral("role"), s.role},
            {QStringLiteral("client"), s.client},
            {QStringLiteral("created"), ms(s.created)},
            {QStringLiteral("expires"), ms(s.expires)},
            {QStringLiteral("factor"), num(s.factor)},
            {QStringLiteral("factors"), enumList(s.factors)},
            {QStringLiteral("aal"), num(s.aal)},
            {QStringLiteral("restriction"), num(s.restriction)},
            {QStringLiteral("restricted"), s.restricted},
            {QStringLiteral("restrictionReason"), s.restrictionReason},
            {QStringLiteral("noticeForUser"), s.noticeForUser},
            {QStringLiteral("host"), s.host},
            {QStringLiteral("pid"), s.pid},
            {QStringLiteral("lastActive"), ms(s.lastActive)},
            {QStringLiteral("lastAuthenticated"), ms(s.lastAuthenticated)},
            {QStringLiteral("idleTimeoutSecs"), s.idleTimeoutSecs},
            {QStringLiteral("idleLeftSecs"), s.idleLeftSecs},
            {QStringLiteral("absoluteLeftSecs"), s.absoluteLeftSecs},
            {QStringLiteral("freshLeftSecs"), s.freshLeftSecs},
            {QStringLiteral("current"), s.current},
            {QStringLiteral("active"), s.active},
            {QStringLiteral("ended"), ms(s.ended)},
            {QStringLiteral("endReason"), s.endReason},
            {QStringLiteral("endedBy"), s.endedBy}};
}

void read(const QVariantMap& m, SessionInfo& s) {
    s.id = m.value(QStringLiteral("id")).toString();
    s.username = m.value(QStringLiteral("username")).toString();
    s.role = m.value(QStringLiteral("role")).toString();
    s.client = m.value(QStringLiteral("client")).toString();
    s.created = time(m.value(QStringLiteral("created")));
    s.expires = time(m.value(QStringLiteral("expires")));
    s.factor = en(m.value(QStringLiteral("factor")), FactorCategory::Knowledge);
    s.factors = enumsFrom<FactorKind>(m.value(QStringLiteral("factors")));
    s.aal = en(m.value(QStringLiteral("aal")), Aal::Aal1);
    s.restriction = en(m.value(QStringLiteral("restriction")), Restriction::None);
    s.restricted = m.value(QStringLiteral("restricted")).toBool();
    s.restrictionReason = m.value(QStringLiteral("restrictionReason")).toString();
    s.noticeForUser = m.value(QStringLiteral("noticeForUser")).toString();
    s.host = m.value(QStringLiteral("host")).toString();
    s.pid = m.value(QStringLiteral("pid")).toLongLong();
    s.lastActive = time(m.value(QStringLiteral("lastActive")));
    s.lastAuthenticated = time(m.value(QStringLiteral("lastAuthenticated")));
    s.idleTimeoutSecs = m.value(QStringLiteral("idleTimeoutSecs")).toLongLong();
    s.idleLeftSecs = m.value(QStringLiteral("idleLeftSecs")).toLongLong();
    s.absoluteLeftSecs = m.value(QStringLiteral("absoluteLeftSecs")).toLongLong();
    s.freshLeftSecs = m.value(QStringLiteral("freshLeftSecs")).toLongLong();
    s.current = m.value(QStringLiteral("current")).toBool();
    s.active = m.value(QStringLiteral("active"), true).toBool();
    s.ended = time(m.value(QStringLiteral("ended")));
    s.endReason = m.value(QStringLiteral("endReason")).toString();
    s.endedBy = m.value(QStringLiteral("endedBy")).toString();
    s.notices = listFrom<AccountNotice>(m.value(QStringLiteral("notices")));
}

QVariantMap toMap(const UserInfo& u) {
    return {{QStringLiteral("username"), u.username},   {QStringLiteral("role"), u.role},
            {QStringLiteral("enabled"), u.enabled},     {QStringLiteral("mustChangePassword"), u.mustChangePassword},
            {QStringLiteral("locked"), u.locked},       {QStringLiteral("throttledSecs"), u.throttledSecs},
            {QStringLiteral("created"), ms(u.created)}, {QStringLiteral("lastLogin"), ms(u.lastLogin)},
            {QStringLiteral("roles"), u.roles}};
}

void read(const QVariantMap& m, UserInfo& u) {
    u.username = m.value(QStringLiteral("username")).toString();
    u.role = m.value(QStringLiteral("role")).toString();
    u.enabled = m.value(QStringLiteral("enabled"), true).toBool();
    u.mustChangePassword = m.value(QStringLiteral("mustChangePassword")).toBool();
    u.locked = m.value(QStringLiteral("locked")).toBool();
    u.throttledSecs = m.value(QStringLiteral("throttledSecs")).toLongLong();
    u.created = time(m.value(QStringLiteral("created")));
    u.lastLogin = time(m.value(QStringLiteral("lastLogin")));
    u.roles = plain(m.value(QStringLiteral("roles"))).toStringList();
}

QVariantMap toMap(const RoleInfo& r) {
    return {{QStringLiteral("name"), r.name},
            {QStringLiteral("builtIn"), r.builtIn},
            {QStringLiteral("description"), r.description},
            {QStringLiteral("permissions"), r.permissions},
            {QStringLiteral("holders"), r.holders}};
}

void read(const QVariantMap& m, RoleInfo& r) {
    r.name = m.value(QStringLiteral("name")).toString();
    r.builtIn = m.value(QStringLiteral("builtIn")).toBool();
    r.description = m.value(QStringLiteral("description")).toString();
    r.permissions = plain(m.value(QStringLiteral("permissions"))).toStringList();
    r.holders = m.value(QStringLiteral("holders")).toInt();
}

QVariantMap toMap(const AppPermission& p) {
    return {{QStringLiteral("app"), p.app},
            {QStringLiteral("name"), p.name},
            {QStringLiteral("description"), p.description},
            {QStringLiteral("twoFactor"), p.twoFactor},
            {QStringLiteral("audited"), p.audited}};
}

void read(const QVariantMap& m, AppPermission& p) {
    p.app = m.value(QStringLiteral("app")).toString();
    p.name = m.value(QStringLiteral("name")).toString();
    p.description = m.value(QStringLiteral("description")).toString();
    p.twoFactor = m.value(QStringLiteral("twoFactor")).toBool();
    p.audited = m.value(QStringLiteral("audited")).toBool();
}

QVariantMap toMap(const FactorInfo& f) {
    return {{QStringLiteral("id"), f.id},
            {QStringLiteral("kind"), num(f.kind)},
            {QStringLiteral("category"), num(f.category)},
            {QStringLiteral("label"), f.label},
            {QStringLiteral("pending"), f.pending},
            {QStringLiteral("created"), ms(f.created)},
            {QStringLiteral("lastUsed"), ms(f.lastUsed)},
            {QStringLiteral("expires"), ms(f.expires)},
            {QStringLiteral("codesLeft"), f.codesLeft},
            {QStringLiteral("totpAlgorithm"), num(f.totp.algorithm)},
            {QStringLiteral("totpDigits"), f.totp.digits},
            {QStringLiteral("totpPeriod"), f.totp.period},
            {QStringLiteral("keyAlgorithm"), f.keyAlgorithm},
            {QStringLiteral("keyUserVerifying"), f.keyUserVerifying},
            {QStringLiteral("keyAaguid"), f.keyAaguid},
            {QStringLiteral("keyAttestation"), f.keyAttestation}};
}

void read(const QVariantMap& m, FactorInfo& f) {
    f.id = m.value(QStringLiteral("id")).toLongLong();
    f.kind = en(m.value(QStringLiteral("kind")), FactorKind::Totp);
    f.category = en(m.value(QStringLiteral("category")), FactorCategory::Possession);
    f.label = m.value(QStringLiteral("label")).toString();
    f.pending = m.value(QStringLiteral("pending")).toBool();
    f.created = time(m.value(QStringLiteral("created")));
    f.lastUsed = time(m.value(QStringLiteral("lastUsed")));
    f.expires = time(m.value(QStringLiteral("expires")));
    f.codesLeft = m.value(QStringLiteral("codesLeft")).toInt();
    f.totp.algorithm = en(m.value(QStringLiteral("totpAlgorithm")), TotpAlgorithm::Sha1);
    f.totp.digits = m.value(QStringLiteral("totpDigits"), 6).toInt();
    f.totp.period = m.value(QStringLiteral("totpPeriod"), 30).toInt();
    f.keyAlgorithm = m.value(QStringLiteral("keyAlgorithm")).toString();
    f.keyUserVerifying = m.value(QStringLiteral("keyUserVerifying")).toBool();
    f.keyAaguid = m.value(QStringLiteral("keyAaguid")).toString();
    f.keyAttestation = m.value(QStringLiteral("keyAttestation")).toString();
}

QVariantMap toMap(const AccountAssurance& a) {
    return {{QStringLiteral("categories"), enumList(a.categories)},
            {QStringLiteral("reachable"), num(a.reachable)},
            {QStringLiteral("mfaRequired"), a.mfaRequired}};
}

void read(const QVariantMap& m, AccountAssurance& a) {
    a.categories = enumsFrom<FactorCategory>(m.value(QStringLiteral("categories")));
    a.reachable = en(m.value(QStringLiteral("reachable")), Aal::Aal1);
    a.mfaRequired = m.value(QStringLiteral("mfaRequired")).toBool();
}

QVariantMap toMap(const VaultStatus& s) {
    return {{QStringLiteral("path"), s.path},
            {QStringLiteral("keySource"), num(s.keySource)},
            {QStringLiteral("keyLocation"), s.keyLocation},
            {QStringLiteral("schemaVersion"), s.schemaVersion},
            {QStringLiteral("users"), s.users},
            {QStringLiteral("admins"), s.admins},
            {QStringLiteral("disabledUsers"), s.disabledUsers},
            {QStringLiteral("lockedUsers"), s.lockedUsers},
            {QStringLiteral("activeSessions"), s.activeSessions},
            {QStringLiteral("auditEvents"), s.auditEvents},
            {QStringLiteral("auditChainIntact"), s.auditChainIntact},
            {QStringLiteral("ownerOnlyPermissions"), s.ownerOnlyPermissions}};
}

void read(const QVariantMap& m, VaultStatus& s) {
    s.path = m.value(QStringLiteral("path")).toString();
    s.keySource = en(m.value(QStringLiteral("keySource")), KeySource::Keychain);
    s.keyLocation = m.value(QStringLiteral("keyLocation")).toString();
    s.schemaVersion = m.value(QStringLiteral("schemaVersion")).toInt();
    s.users = m.value(QStringLiteral("users")).toInt();
    s.admins = m.value(QStringLiteral("admins")).toInt();
    s.disabledUsers = m.value(QStringLiteral("disabledUsers")).toInt();
    s.lockedUsers = m.value(QStringLiteral("lockedUsers")).toInt();
    s.activeSessions = m.value(QStringLiteral("activeSessions")).toInt();
    s.auditEvents = m.value(QStringLiteral("auditEvents")).toLongLong();
    s.auditChainIntact = m.value(QStringLiteral("auditChainIntact")).toBool();
    s.ownerOnlyPermissions = m.value(QStringLiteral("ownerOnlyPermissions")).toBool();
}

QVariantMap toMap(const LayerHealth& h) {
    QVariantList notes;
    for (const HealthNote& n : h.notes)
        notes << QVariantMap{{QStringLiteral("layer"), num(n.layer)},
                             {QStringLiteral("warning"), n.warning},
                             {QStringLiteral("text"), n.text},
                             {QStringLiteral("screen"), n.screen}};
    return {{QStringLiteral("vaultEncrypted"), h.vaultEncrypted},
            {QStringLiteral("keySource"), num(h.keySource)},
            {QStringLiteral("keyLocation"), h.keyLocation},
            {QStringLiteral("ownerOnlyPermissions"), h.ownerOnlyPermissions},
            {QStringLiteral("filePermissions"), h.filePermissions},
            {QStringLiteral("accounts"), h.accounts},
            {QStringLiteral("accountsWithMfa"), h.accountsWithMfa},
            {QStringLiteral("accountsWithoutMfa"), h.accountsWithoutMfa},
            {QStringLiteral("adminsWithoutMfa"), h.adminsWithoutMfa},
            {QStringLiteral("lockedAccounts"), h.lockedAccounts},
            {QStringLiteral("throttledAccounts"), h.throttledAccounts},
            {QStringLiteral("attackInProgress"), h.attackInProgress},
            {QStringLiteral("privilegedWithoutMfa"), h.privilegedWithoutMfa},
            {QStringLiteral("auditChainIntact"), h.auditChainIntact},
            {QStringLiteral("activeSessions"), h.activeSessions},
            {QStringLiteral("lifetimePolicy"), h.lifetimePolicy},
            {QStringLiteral("admins"), h.admins},
            {QStringLiteral("usersWithoutRole"), h.usersWithoutRole},
            {QStringLiteral("customRoles"), h.customRoles},
            {QStringLiteral("notes"), notes}};
}

void read(const QVariantMap& m, LayerHealth& h) {
    h.vaultEncrypted = m.value(QStringLiteral("vaultEncrypted")).toBool();
    h.keySource = en(m.value(QStringLiteral("keySource")), KeySource::Keychain);
    h.keyLocation = m.value(QStringLiteral("keyLocation")).toString();
    h.ownerOnlyPermissions = m.value(QStringLiteral("ownerOnlyPermissions")).toBool();
    h.filePermissions = m.value(QStringLiteral("filePermissions")).toString();
    h.accounts = m.value(QStringLiteral("accounts")).toInt();
    h.accountsWithMfa = m.value(QStringLiteral("accountsWithMfa")).toInt();
    h.accountsWithoutMfa = m.value(QStringLiteral("accountsWithoutMfa")).toInt();
    h.adminsWithoutMfa = m.value(QStringLiteral("adminsWithoutMfa")).toInt();
    h.lockedAccounts = m.value(QStringLiteral("lockedAccounts")).toInt();
    h.throttledAccounts = m.value(QStringLiteral("throttledAccounts")).toInt();
    h.attackInProgress = m.value(QStringLiteral("attackInProgress")).toBool();
    h.privilegedWithoutMfa = plain(m.value(QStringLiteral("privilegedWithoutMfa"))).toStringList();
    h.auditChainIntact = m.value(QStringLiteral("auditChainIntact"), true).toBool();
    h.activeSessions = m.value(QStringLiteral("activeSessions")).toInt();
    h.lifetimePolicy = m.value(QStringLiteral("lifetimePolicy")).toString();
    h.admins = m.value(QStringLiteral("admins")).toInt();
    h.usersWithoutRole = m.value(QStringLiteral("usersWithoutRole")).toInt();
    h.customRoles = m.value(QStringLiteral("customRoles"), -1).toInt();
    h.notes.clear();
    for (const QVariant& v : plain(m.value(QStringLiteral("notes"))).toList()) {
        const QVariantMap n = mapOf(v);
        h.notes << HealthNote{en(n.value(QStringLiteral("layer")), Layer::None),
                              n.value(QStringLiteral("warning")).toBool(), n.value(QStringLiteral("text")).toString(),
                              n.value(QStringLiteral("screen")).toString()};
    }
}

QVariantMap toMap(const AuditEvent& e) {
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("time"), ms(e.time)},
            {QStringLiteral("actor"), e.actor},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("layer"), num(e.layer)},
            {QStringLiteral("outcome"), num(e.outcome)},
            {QStringLiteral("factor"), num(e.factor)},
            {QStringLiteral("subject"), e.subject},
            {QStringLiteral("detail"), e.detail},
            {QStringLiteral("origin"), e.origin},
            {QStringLiteral("actorId"), e.actorId},
            {QStringLiteral("subjectId"), e.subjectId},
            {QStringLiteral("broken"), e.broken}};
}

void read(const QVariantMap& m, AuditEvent& e) {
    e.id = m.value(QStringLiteral("id")).toLongLong();
    e.time = time(m.value(QStringLiteral("time")));
    e.actor = m.value(QStringLiteral("actor")).toString();
    e.action = m.value(QStringLiteral("action")).toString();
    e.layer = en(m.value(QStringLiteral("layer")), Layer::Storage);
    e.outcome = en(m.value(QStringLiteral("outcome")), Outcome::Info);
    e.factor = en(m.value(QStringLiteral("factor")), FactorCategory::None);
    e.subject = m.value(QStringLiteral("subject")).toString();
    e.detail = m.value(QStringLiteral("detail")).toString();
    e.origin = m.value(QStringLiteral("origin")).toString();
    e.actorId = m.value(QStringLiteral("actorId")).toLongLong();
    e.subjectId = m.value(QStringLiteral("subjectId")).toLongLong();
    e.broken = m.value(QStringLiteral("broken")).toString();
}

QVariantMap toMap(const AuditQuery& q) {
    QVariantMap m{{QStringLiteral("user"), q.user},         {QStringLiteral("actor"), q.actor},
                  {QStringLiteral("subject"), q.subject},   {QStringLiteral("action"), q.action},
                  {QStringLiteral("from"), ms(q.from)},     {QStringLiteral("to"), ms(q.to)},
                  {QStringLiteral("beforeId"), q.beforeId}, {QStringLiteral("limit"), q.limit}};
    if (q.layer)
        m.insert(QStringLiteral("layer"), num(*q.layer));
    if (q.outcome)
        m.insert(QStringLiteral("outcome"), num(*q.outcome));
    return m;
}

void read(const QVariantMap& m, AuditQuery& q) {
    q.user = m.value(QStringLiteral("user")).toString();
    q.actor = m.value(QStringLiteral("actor")).toString();
    q.subject = m.value(QStringLiteral("subject")).toString();
    q.action = m.value(QStringLiteral("action")).toString();
    q.from = time(m.value(QStringLiteral("from")));
    q.to = time(m.value(QStringLiteral("to")));
    q.beforeId = m.value(QStringLiteral("beforeId")).toLongLong();
    q.limit = m.value(QStringLiteral("limit"), 100).toInt();
    if (m.contains(QStringLiteral("layer")))
        q.layer = en(m.value(QStringLiteral("layer")), Layer::None);
    if (m.contains(QStringLiteral("outcome")))
        q.outcome = en(m.value(QStringLiteral("outcome")), Outcome::Info);
}

QVariantMap toMap(const ChainReport& r) {
    return {{QStringLiteral("intact"), r.intact},
            {QStringLiteral("events"), r.events},
            {QStringLiteral("firstBrokenId"), r.firstBrokenId},
            {QStringLiteral("reason"), r.reason},
            {QStringLiteral("anchor"), r.anchor},
            {QStringLiteral("anchorIntact"), r.anchorIntact},
            {QStringLiteral("anchorDetail"), r.anchorDetail}};
}

void read(const QVariantMap& m, ChainReport& r) {
    r.intact = m.value(QStringLiteral("intact")).toBool();
    r.events = m.value(QStringLiteral("events")).toLongLong();
    r.firstBrokenId = m.value(QStringLiteral("firstBrokenId")).toLongLong();
    r.reason = m.value(QStringLiteral("reason")).toString();
    r.anchor = m.value(QStringLiteral("anchor")).toString();
    r.anchorIntact = m.value(QStringLiteral("anchorIntact"), true).toBool();
    r.anchorDetail = m.value(QStringLiteral("anchorDetail")).toString();
}

QVariantMap toMap(const Diagnosis& d) {
    return {{QStringLiteral("layer"), num(d.layer)},
            {QStringLiteral("problem"), d.problem},
            {QStringLiteral("title"), d.title},
            {QStringLiteral("explanation"), d.explanation},
            {QStringLiteral("fix"), d.fix}};
}

void read(const QVariantMap& m, Diagnosis& d) {
    d.layer = en(m.value(QStringLiteral("layer")), Layer::None);
    d.problem = m.value(QStringLiteral("problem")).toBool();
    d.title = m.value(QStringLiteral("title")).toString();
    d.explanation = m.value(QStringLiteral("explanation")).toString();
    d.fix = m.value(QStringLiteral("fix")).toString();
}

QVariantMap toMap(const Fido2DeviceInfo& k) {
    return {{QStringLiteral("path"), k.path},
            {QStringLiteral("manufacturer"), k.manufacturer},
            {QStringLiteral("product"), k.product}};
}

void read(const QVariantMap& m, Fido2DeviceInfo& k) {
    k.path = m.value(QStringLiteral("path")).toString();
    k.manufacturer = m.value(QStringLiteral("manufacturer")).toString();
    k.product = m.value(QStringLiteral("product")).toString();
}

QVariantMap toMap(const StuffingPolicy& p) {
    return {{QStringLiteral("names"), p.names},
            {QStringLiteral("windowSecs"), p.windowSecs},
            {QStringLiteral("baseDelaySecs"), p.baseDelaySecs},
            {QStringLiteral("maxDelaySecs"), p.maxDelaySecs}};
}

void read(const QVariantMap& m, StuffingPolicy& p) {
    const StuffingPolicy defaults;
    p.names = m.value(QStringLiteral("names"), defaults.names).toInt();
    p.windowSecs = m.value(QStringLiteral("windowSecs"), defaults.windowSecs).toLongLong();
    p.baseDelaySecs = m.value(QStringLiteral("baseDelaySecs"), defaults.baseDelaySecs).toLongLong();
    p.maxDelaySecs = m.value(QStringLiteral("maxDelaySecs"), defaults.maxDelaySecs).toLongLong();
}

QVariantMap toMap(const SessionLimit& l) {
    return {{QStringLiteral("maxPerUser"), l.maxPerUser}, {QStringLiteral("mode"), num(l.mode)}};
}

void read(const QVariantMap& m, SessionLimit& l) {
    l.maxPerUser = m.value(QStringLiteral("maxPerUser")).toInt();
    l.mode = en(m.value(QStringLiteral("mode")), SessionLimitMode::Refuse);
}

QVariantMap toMap(const TotpEnrollment& t) {
    return {{QStringLiteral("factorId"), t.factorId},        {QStringLiteral("issuer"), t.issuer},
            {QStringLiteral("account"), t.account},          {QStringLiteral("totpAlgorithm"), num(t.params.algorithm)},
            {QStringLiteral("totpDigits"), t.params.digits}, {QStringLiteral("totpPeriod"), t.params.period},
            {QStringLiteral("expires"), ms(t.expires)}};
}

void read(const QVariantMap& m, TotpEnrollment& t) {
    t.factorId = m.value(QStringLiteral("factorId")).toLongLong();
    t.issuer = m.value(QStringLiteral("issuer")).toString();
    t.account = m.value(QStringLiteral("account")).toString();
    t.params.algorithm = en(m.value(QStringLiteral("totpAlgorithm")), TotpAlgorithm::Sha1);
    t.params.digits = m.value(QStringLiteral("totpDigits"), 6).toInt();
    t.params.period = m.value(QStringLiteral("totpPeriod"), 30).toInt();
    t.expires = time(m.value(QStringLiteral("expires")));
}

namespace {
QVariantList bytesList(const QList<QByteArray>& items) {
    QVariantList out;
    for (const QByteArray& b : items)
        out << QVariant(b);
    return out;
}
QList<QByteArray> bytesListFrom(const QVariant& v) {
    QList<QByteArray> out;
    for (const QVariant& item : plain(v).toList())
        out << item.toByteArray();
    return out;
}
} // namespace

QVariantMap toMap(const KeyRegistrationRequest& r) {
    QVariantList algorithms;
    for (int a : r.algorithms)
        algorithms << a;
    return {{QStringLiteral("ceremonyId"), r.ceremonyId},
            {QStringLiteral("rpId"), r.rpId},
            {QStringLiteral("rpName"), r.rpName},
            {QStringLiteral("userId"), r.userId},
            {QStringLiteral("userName"), r.userName},
            {QStringLiteral("displayName"), r.displayName},
            {QStringLiteral("clientDataHash"), r.clientDataHash},
            {QStringLiteral("excludeCredentials"), QVariant(bytesList(r.excludeCredentials))},
            {QStringLiteral("algorithms"), QVariant(algorithms)},
            {QStringLiteral("timeoutMs"), r.timeoutMs}};
}

void read(const QVariantMap& m, KeyRegistrationRequest& r) {
    r.ceremonyId = m.value(QStringLiteral("ceremonyId")).toString();
    r.rpId = m.value(QStringLiteral("rpId")).toString();
    r.rpName = m.value(QStringLiteral("rpName")).toString();
    r.userId = m.value(QStringLiteral("userId")).toByteArray();
    r.userName = m.value(QStringLiteral("userName")).toString();
    r.displayName = m.value(QStringLiteral("displayName")).toString();
    r.clientDataHash = m.value(QStringLiteral("clientDataHash")).toByteArray();
    r.excludeCredentials = bytesListFrom(m.value(QStringLiteral("excludeCredentials")));
    r.algorithms.clear();
    for (const QVariant& a : plain(m.value(QStringLiteral("algorithms"))).toList())
        r.algorithms << a.toInt();
    r.timeoutMs = m.value(QStringLiteral("timeoutMs"), 30000).toInt();
}

QVariantMap toMap(const KeyAttestation& a) {
    return {{QStringLiteral("format"), a.format},
            {QStringLiteral("algorithm"), a.algorithm},
            {QStringLiteral("authData"), a.authData},
            {QStringLiteral("attestation"), a.attestation},
            {QStringLiteral("clientDataHash"), a.clientDataHash},
            {QStringLiteral("pinSet"), a.pinSet},
            {QStringLiteral("builtInUv"), a.builtInUv}};
}

void read(const QVariantMap& m, KeyAttestation& a) {
    a.format = m.value(QStringLiteral("format")).toString();
    a.algorithm = m.value(QStringLiteral("algorithm")).toInt();
    a.authData = m.value(QStringLiteral("authData")).toByteArray();
    a.attestation = m.value(QStringLiteral("attestation")).toByteArray();
    a.clientDataHash = m.value(QStringLiteral("clientDataHash")).toByteArray();
    a.pinSet = m.value(QStringLiteral("pinSet")).toBool();
    a.builtInUv = m.value(QStringLiteral("builtInUv")).toBool();
}

QVariantMap toMap(const KeyAssertionRequest& r) {
    return {{QStringLiteral("ceremonyId"), r.ceremonyId},
            {QStringLiteral("rpId"), r.rpId},
            {QStringLiteral("clientDataHash"), r.clientDataHash},
            {QStringLiteral("allowCredentials"), QVariant(bytesList(r.allowCredentials))},
            {QStringLiteral("userVerification"), r.userVerification},
            {QStringLiteral("timeoutMs"), r.timeoutMs}};
}

void read(const QVariantMap& m, KeyAssertionRequest& r) {
    r.ceremonyId = m.value(QStringLiteral("ceremonyId")).toString();
    r.rpId = m.value(QStringLiteral("rpId")).toString();
    r.clientDataHash = m.value(QStringLiteral("clientDataHash")).toByteArray();
    r.allowCredentials = bytesListFrom(m.value(QStringLiteral("allowCredentials")));
    r.userVerification = m.value(QStringLiteral("userVerification")).toBool();
    r.timeoutMs = m.value(QStringLiteral("timeoutMs"), 30000).toInt();
}

QVariantMap toMap(const KeyAssertion& a) {
    return {{QStringLiteral("credentialId"), a.credentialId},
            {QStringLiteral("authData"), a.authData},
            {QStringLiteral("signature"), a.signature},
            {QStringLiteral("userHandle"), a.userHandle},
            {QStringLiteral("clientDataHash"), a.clientDataHash}};
}

void read(const QVariantMap& m, KeyAssertion& a) {
    a.credentialId = m.value(QStringLiteral("credentialId")).toByteArray();
    a.authData = m.value(QStringLiteral("authData")).toByteArray();
    a.signature = m.value(QStringLiteral("signature")).toByteArray();
    a.userHandle = m.value(QStringLiteral("userHandle")).toByteArray();
    a.clientDataHash = m.value(QStringLiteral("clientDataHash")).toByteArray();
}

QVariantMap toMap(const Error& e) {
    return {{QStringLiteral("code"), codeName(e.code)}, {QStringLiteral("detail"), e.detail}};
}

void read(const QVariantMap& m, Error& e) {
    e = Error{Errc::Internal, m.value(QStringLiteral("detail")).toString(), 0};
    const QString code = m.value(QStringLiteral("code")).toString();
    for (Errc c : kAllCodes)
        if (codeName(c) == code)
            e.code = c;
}

QString errorName(Errc code) {
    return dbus::kErrorPrefix + codeName(code);
}

QString errorMessage(const Error& error) {
    QJsonObject o{{QStringLiteral("detail"), error.detail}};
    if (error.retryAfterSeconds)
        o.insert(QStringLiteral("retryAfter"), error.retryAfterSeconds);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Error errorFrom(const QString& name, const QString& message) {
    Error e{Errc::Internal, {}, 0};
    if (name.startsWith(dbus::kErrorPrefix)) {
        const QString code = name.mid(dbus::kErrorPrefix.size());
        for (Errc c : kAllCodes)
            if (codeName(c) == code) {
                e.code = c;
                break;
            }
        const QJsonObject o = QJsonDocument::fromJson(message.toUtf8()).object();
        e.detail = o.value(QStringLiteral("detail")).toString();
        e.retryAfterSeconds = o.value(QStringLiteral("retryAfter")).toInteger();
        return e;
    }
    // Not ours: the bus itself failed (no service, timeout, access denied by policy).
    e.code = Errc::ServiceUnavailable;
    e.detail = QStringLiteral("gatehoused did not answer (%1): %2").arg(name, message);
    return e;
}

} // namespace gh::wire
