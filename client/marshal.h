// How the facade's value types and errors cross the bus (client/dbusapi.h). Structures travel as
// a{sv} maps (times as milliseconds since the epoch, enums as their integer values, absent keys =
// defaults), lists as arrays of maps. Secrets never go into a map: they travel as separate byte
// array arguments. Used by both ends: gatehoused writes what client/gatehouseclient.cpp reads.
#pragma once

#include "apps/apppermissions.h"
#include "types.h"

#include <QVariant>
#include <QVariantList>
#include <QVariantMap>

class QDBusMessage;

namespace gh::wire {

// D-Bus hands nested containers over as QDBusArgument; this turns them into plain QVariantMap /
// QVariantList values (recursively) so the readers below can use them.
QVariant plain(const QVariant& v);
QVariantMap mapOf(const QVariant& v);

QVariantMap toMap(const AccountNotice& n);
QVariantMap toMap(const SessionInfo& s);
QVariantMap toMap(const UserInfo& u);
QVariantMap toMap(const RoleInfo& r);
QVariantMap toMap(const AppPermission& p);
QVariantMap toMap(const FactorInfo& f);
QVariantMap toMap(const AccountAssurance& a);
QVariantMap toMap(const VaultStatus& s);
QVariantMap toMap(const LayerHealth& h);
QVariantMap toMap(const AuditEvent& e);
QVariantMap toMap(const AuditQuery& q);
QVariantMap toMap(const ChainReport& r);
QVariantMap toMap(const Diagnosis& d);
QVariantMap toMap(const Fido2DeviceInfo& k);
QVariantMap toMap(const SessionLimit& l);
QVariantMap toMap(const StuffingPolicy& p);
QVariantMap toMap(const TotpEnrollment& t); // without uri and secretBase32 (they travel apart)
QVariantMap toMap(const KeyRegistrationRequest& r);
QVariantMap toMap(const KeyAttestation& a);
QVariantMap toMap(const KeyAssertionRequest& r);
QVariantMap toMap(const KeyAssertion& a);
QVariantMap toMap(const Error& e); // a security key's failure reported by the client: {code, detail}

void read(const QVariantMap& m, AccountNotice& n);
void read(const QVariantMap& m, SessionInfo& s);
void read(const QVariantMap& m, UserInfo& u);
void read(const QVariantMap& m, RoleInfo& r);
void read(const QVariantMap& m, AppPermission& p);
void read(const QVariantMap& m, FactorInfo& f);
void read(const QVariantMap& m, AccountAssurance& a);
void read(const QVariantMap& m, VaultStatus& s);
void read(const QVariantMap& m, LayerHealth& h);
void read(const QVariantMap& m, AuditEvent& e);
void read(const QVariantMap& m, AuditQuery& q);
void read(const QVariantMap& m, ChainReport& r);
void read(const QVariantMap& m, Diagnosis& d);
void read(const QVariantMap& m, Fido2DeviceInfo& k);
void read(const QVariantMap& m, SessionLimit& l);
void read(const QVariantMap& m, StuffingPolicy& p);
void read(const QVariantMap& m, TotpEnrollment& t);
void read(const QVariantMap& m, KeyRegistrationRequest& r);
void read(const QVariantMap& m, KeyAttestation& a);
void read(const QVariantMap& m, KeyAssertionRequest& r);
void read(const QVariantMap& m, KeyAssertion& a);
void read(const QVariantMap& m, Error& e);

template <class T> T fromMap(const QVariant& v) {
    T t;
    read(mapOf(v), t);
    return t;
}
template <class T> QVariantList toList(const QList<T>& items) {
    QVariantList out;
    out.reserve(items.size());
    for (const T& item : items)
        out << toMap(item);
    return out;
}
template <class T> QList<T> listFrom(const QVariant& v) {
    QList<T> out;
    const QVariantList items = plain(v).toList();
    out.reserve(items.size());
    for (const QVariant& item : items)
        out << fromMap<T>(item);
    return out;
}

// Errors: the D-Bus error name carries the code, the message a small JSON object.
QString errorName(Errc code); // "io.gatehouse.Gatehouse1.Error.VaultBusy"
QString errorMessage(const Error& error);
Error errorFrom(const QString& name, const QString& message);

} // namespace gh::wire
