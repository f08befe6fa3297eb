// io.gatehouse.Gatehouse1.Status: vault facts and per-layer health (no session needed, counts
// only), whether the first administrator is still to be created, the relying-party id.
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

void addStatusMethods(MethodTable& t) {
    const QString i = dbus::kStatus;
    add(t, i, QStringLiteral("Status"), "", "a{sv}", {QStringLiteral("status")}, [](Call& c) -> Reply {
        auto r = c.vault->gh->status();
        if (!r)
            return r.error();
        return QVariantList{wire::toMap(*r)};
    });
    add(t, i, QStringLiteral("LayerHealth"), "", "a{sv}", {QStringLiteral("health")}, [](Call& c) -> Reply {
        auto r = c.vault->gh->layerHealth();
        if (!r)
            return r.error();
        return QVariantList{wire::toMap(*r)};
    });
    add(t, i, QStringLiteral("NeedsFirstAdmin"), "", "b", {QStringLiteral("needed")},
        [](Call& c) -> Reply { return QVariantList{c.vault->gh->needsFirstAdmin()}; });
    add(t, i, QStringLiteral("RelyingPartyId"), "", "s", {QStringLiteral("rpId")}, [](Call& c) -> Reply {
        auto r = c.vault->gh->relyingPartyId();
        if (!r)
            return r.error();
        return QVariantList{*r};
    });
}

} // namespace gh::service
