// io.gatehouse.Gatehouse1.Status: vault facts and per-layer health, whether the first
// administrator is still to be created, the relying-party id. No session needed, but in system
// mode a caller that is neither root nor signed in (no live session of its uid here) sees only the
// vault's own facts (path, key source, schema, file access, encryption, whether it is initialised):
// the counts of users, sessions and audit events are -1 (hidden), layers 2–4 say "sign in".
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

namespace {

const QString kSignIn = QStringLiteral("shown to signed-in users (gatehousectl --as NAME login, then status)");

void hideCounts(VaultStatus& s) {
    s.users = s.admins = s.disabledUsers = s.lockedUsers = s.activeSessions = -1;
    s.auditEvents = -1;
    s.auditChainIntact = false;
}

void hideCounts(LayerHealth& h) {
    h.accounts = h.accountsWithMfa = h.accountsWithoutMfa = h.adminsWithoutMfa = h.lockedAccounts = -1;
    h.throttledAccounts = -1;
    h.attackInProgress = false;
    h.privilegedWithoutMfa.clear();
    h.activeSessions = h.admins = h.usersWithoutRole = h.customRoles = -1;
    QList<HealthNote> notes;
    for (const HealthNote& n : std::as_const(h.notes))
        if (n.layer == Layer::Storage)
            notes << n;
    for (Layer l : {Layer::Verification, Layer::Session, Layer::Access})
        notes << HealthNote{l, false, kSignIn, {}};
    h.notes = notes;
}

} // namespace

void addStatusMethods(MethodTable& t) {
    const QString i = dbus::kStatus;
    add(t, i, QStringLiteral("Status"), "", "a{sv}", {QStringLiteral("status")}, [](Call& c) -> Reply {
        auto r = c.vault->gh->status().vaultStatus();
        if (!r)
            return r.error();
        if (!c.service.seesCounts(c))
            hideCounts(*r);
        return QVariantList{wire::toMap(*r)};
    });
    add(t, i, QStringLiteral("LayerHealth"), "", "a{sv}", {QStringLiteral("health")}, [](Call& c) -> Reply {
        auto r = c.vault->gh->status().layerHealth();
        if (!r)
            return r.error();
        if (!c.service.seesCounts(c))
            hideCounts(*r);
        return QVariantList{wire::toMap(*r)};
    });
    add(t, i, QStringLiteral("NeedsFirstAdmin"), "", "b", {QStringLiteral("needed")},
        [](Call& c) -> Reply { return QVariantList{c.vault->gh->status().needsFirstAdmin()}; });
    add(t, i, QStringLiteral("RelyingPartyId"), "", "s", {QStringLiteral("rpId")}, [](Call& c) -> Reply {
        auto r = c.vault->gh->status().relyingPartyId();
        if (!r)
            return r.error();
        return QVariantList{*r};
    });
}

} // namespace gh::service
