// The composition root of the facade (gatehouse.h): builds the shared context (facade/core.h)
// and the seven services, and does what the Manager interface asks of a vault: create, open,
// recheck, the keychain probe and where the key lives.
#include "gatehouse.h"

#include "facade/core.h"

#include "crypto/primitives.h"

#include <QStandardPaths>

namespace gh {

Gatehouse::Gatehouse(Services services) : m_core(std::make_unique<Core>()) {
    crypto::initialise();
    if (!services.clock) {
        m_core->ownClock = std::make_unique<SystemClock>();
        services.clock = m_core->ownClock.get();
    }
    if (!services.random) {
        m_core->ownRandom = std::make_unique<SystemRandom>();
        services.random = m_core->ownRandom.get();
    }
    if (!services.keys) {
        m_core->ownKeys = std::make_unique<SecretServiceKeyStore>();
        services.keys = m_core->ownKeys.get();
    }
    m_core->clock = services.clock;
    m_core->random = services.random;
    m_core->keys = services.keys;
    m_core->hashParams = services.hashParams;
    m_core->kdfParams = services.kdfParams;
    m_core->appDirs = services.permissionDirs ? *services.permissionDirs : AppPermissions::defaultDirs(false);
    m_core->apps = AppPermissions::load(m_core->appDirs);
    m_status = std::make_unique<StatusService>(*m_core);
    m_login = std::make_unique<LoginService>(*m_core);
    m_accounts = std::make_unique<AccountsService>(*m_core);
    m_factors = std::make_unique<FactorsService>(*m_core);
    m_sessions = std::make_unique<SessionsService>(*m_core);
    m_roles = std::make_unique<RolesService>(*m_core);
    m_audit = std::make_unique<AuditService>(*m_core);
    m_authority = std::make_unique<AuthorityService>(*m_core);
}

Gatehouse::~Gatehouse() = default;

QString Gatehouse::defaultVaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/gatehouse/vault.db");
}

bool Gatehouse::vaultExists(const QString& path) {
    return Vault::exists(path);
}

KeySource Gatehouse::keySourceOf(const QString& path) {
    return Vault::keySourceOf(path);
}

bool Gatehouse::keychainAvailable() {
    std::lock_guard guard(m_core->lock);
    auto probe = m_core->keys->read(QStringLiteral("probe:availability"));
    return probe.ok() || probe.code() != Errc::KeychainUnavailable;
}

Status Gatehouse::createVault(const QString& path, const SecureBuffer* passphrase) {
    std::lock_guard guard(m_core->lock);
    auto vault = Vault::create(path, *m_core->keys, *m_core->random, passphrase, m_core->kdfParams);
    if (!vault) {
        qCWarning(lcCore) << "vault creation failed:" << path << vault.error().detail;
        return vault.error();
    }
    m_core->attach(std::move(vault.value()));
    if (Status h = m_core->ensureDummyHash(); !h)
        return h;
    return m_core->record(QStringLiteral("system"), QStringLiteral("vault.created"), Layer::Storage, Outcome::Allowed,
                          FactorCategory::None, m_core->vault->path(), m_core->keyLocation());
}

Status Gatehouse::openVault(const QString& path, const SecureBuffer* passphrase, bool acceptRestore) {
    std::lock_guard guard(m_core->lock);
    auto vault = Vault::open(path, *m_core->keys, passphrase, acceptRestore);
    if (!vault) {
        // The vault cannot hold this event (it did not open); the journal gets it instead.
        qCWarning(lcCore) << "vault open failed (L1):" << path << describe(vault.error()) << vault.error().detail;
        return vault.error();
    }
    m_core->attach(std::move(vault.value()));
    if (Status h = m_core->ensureDummyHash(); !h)
        return h;
    // What the anti-rollback anchor check found (INT-01), before the open itself.
    const Vault::AnchorReport& anchor = m_core->vault->anchorReport();
    if (anchor.restoreAccepted) {
        qCWarning(lcCore) << "restore accepted (L1):" << path << anchor.detail;
        if (Status s = m_core->record(QStringLiteral("system"), QStringLiteral("vault.restore_accepted"),
                                      Layer::Storage, Outcome::Allowed, FactorCategory::None, m_core->vault->path(),
                                      QStringLiteral("accepted as the newest state: %1").arg(anchor.detail));
            !s)
            return s;
    } else if (anchor.verdict == AnchorVerdict::Ahead || anchor.verdict == AnchorVerdict::Created) {
        if (Status s = m_core->record(QStringLiteral("system"),
                                      anchor.verdict == AnchorVerdict::Ahead ? QStringLiteral("vault.anchor_repaired")
                                                                             : QStringLiteral("vault.anchor_created"),
                                      Layer::Storage, Outcome::Info, FactorCategory::None, m_core->vault->path(),
                                      anchor.detail);
            !s)
            return s;
    }
    return m_core->record(QStringLiteral("system"), QStringLiteral("vault.opened"), Layer::Storage, Outcome::Allowed,
                          FactorCategory::None, m_core->vault->path(), m_core->keyLocation());
}

bool Gatehouse::isOpen() const {
    std::lock_guard guard(m_core->lock);
    return m_core->vault != nullptr;
}

QString Gatehouse::vaultPath() const {
    std::lock_guard guard(m_core->lock);
    return m_core->vault ? m_core->vault->path() : QString();
}

KeySource Gatehouse::keySource() const {
    std::lock_guard guard(m_core->lock);
    return m_core->vault ? m_core->vault->keySource() : KeySource::Keychain;
}

QString Gatehouse::keyLocation() const {
    std::lock_guard guard(m_core->lock);
    return m_core->keyLocation();
}

Status Gatehouse::recheckVault() {
    std::lock_guard guard(m_core->lock);
    if (!m_core->vault)
        return Errc::VaultNotFound;
    return m_core->vault->recheck(*m_core->keys);
}

void Gatehouse::flushAudit() {
    std::unique_lock guard(m_core->lock, std::try_to_lock);
    if (guard.owns_lock() && m_core->audit)
        m_core->flushRepeats(false);
}

} // namespace gh
