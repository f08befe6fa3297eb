// The D-Bus contract between gatehoused and its clients: names, object paths, interfaces, and how
// the facade's value types and errors travel (client/marshal.h). One interface per concern, each
// mirroring one service of gh::Gatehouse (core/facade/: Manager → Gatehouse itself, Status →
// StatusService, Login → LoginService, Accounts → AccountsService, …):
//
//   io.gatehouse.Gatehouse1.Manager   on /io/gatehouse/Gatehouse1: which vaults exist, open/create
//   io.gatehouse.Gatehouse1.Status    vault facts, layer health, first run
//   io.gatehouse.Gatehouse1.Login     sign in (one or two steps), step-up, password, sign out
//   io.gatehouse.Gatehouse1.Accounts  add, list, enable/disable, unlock
//   io.gatehouse.Gatehouse1.Factors   TOTP, recovery codes, security-key enrolment (begin/finish)
//   io.gatehouse.Gatehouse1.Sessions  list, revoke, limits; signals SessionEnded, PermissionsChanged
//   io.gatehouse.Gatehouse1.Roles     roles and permissions
//   io.gatehouse.Gatehouse1.Audit     query, verify, diagnose
//   io.gatehouse.Authority1           other applications (issue 11): RequestSignIn (the agent asks
//                                     the person), IssueAppToken, CheckPermission, WhoIsSignedIn,
//                                     EndSession; signals SessionEnded(session_id, reason) and
//                                     PermissionsChanged(session_id) to the token's holder; for the
//                                     agent: RegisterAgent, UnregisterAgent, AgentResponse,
//                                     AgentCancelled (kAuthorityAgent below)
//
// Every call that acts for a signed-in person takes the session token (ay) first; the service
// binds a token to the uid that signed in. Secrets (passwords, codes, PINs, tokens, seeds) are
// always byte arrays, never strings, and never part of an error message. Errors are D-Bus errors
// named io.gatehouse.Gatehouse1.Error.<Errc> whose message is a JSON object
// {"detail": …, "retryAfter": n}.
//
// Each caller has a share of the service's workers (app/gatehoused/calllimits.h): calls in
// progress per bus connection, per uid (system mode) and in all. A call beyond it is answered at
// once with io.gatehouse.Gatehouse1.Error.ServiceBusy, {"detail": "too many calls in progress …;
// try again", "retryAfter": 1}, and not queued; nothing of it ran. Cancels never count.
//
// Security keys: the service never opens a device. The CTAP ceremony runs in the client at the
// seat (client/securitykey.h); the service begins it (Factors.BeginSecurityKeyEnrollment,
// Login.BeginSecurityKeyAssertion: a{sv} request with a single-use, expiring ceremony id, the
// client-data hash of its fresh challenge and the exclude or allow list), verifies the key's answer
// (Factors.FinishSecurityKeyEnrollment, Login.CompleteLoginWithKeyAssertion: a{sv} attestation or
// assertion) and is told of a key that failed in the client (Abort…, which always answers with the
// error to show). Login.BeginKeyLogin(username, client) → pendingId begins a passwordless sign-in
// with a key that verifies its user (ATK-04); the key step above follows, with UV required.
#pragma once

#include <QString>

namespace gh::dbus {

inline const QString kService = QStringLiteral("io.gatehouse.Gatehouse1");
inline const QString kPath = QStringLiteral("/io/gatehouse/Gatehouse1");
inline const QString kVaultPathPrefix = QStringLiteral("/io/gatehouse/Gatehouse1/vault/");
inline const QString kManager = QStringLiteral("io.gatehouse.Gatehouse1.Manager");
inline const QString kStatus = QStringLiteral("io.gatehouse.Gatehouse1.Status");
inline const QString kLogin = QStringLiteral("io.gatehouse.Gatehouse1.Login");
inline const QString kAccounts = QStringLiteral("io.gatehouse.Gatehouse1.Accounts");
inline const QString kFactors = QStringLiteral("io.gatehouse.Gatehouse1.Factors");
inline const QString kSessions = QStringLiteral("io.gatehouse.Gatehouse1.Sessions");
inline const QString kRoles = QStringLiteral("io.gatehouse.Gatehouse1.Roles");
inline const QString kAudit = QStringLiteral("io.gatehouse.Gatehouse1.Audit");
inline const QString kAuthority = QStringLiteral("io.gatehouse.Authority1");
// The agent (the Gatehouse window) an application's RequestSignIn is sent to (issue 11):
//   BeginSignIn(s request_id, a{sv} request)  show a prompt; answer later with
//       Authority1.AgentResponse(request_id, ay person_token) or AgentCancelled(request_id, b denied)
//   CancelSignIn(s request_id)                the request is over (timeout, the application left)
inline const QString kAuthorityAgent = QStringLiteral("io.gatehouse.AuthorityAgent1");
inline const QString kErrorPrefix = QStringLiteral("io.gatehouse.Gatehouse1.Error.");

// Tests (and a second instance for development) point both sides at a private bus.
inline const char* const kBusAddressEnv = "GATEHOUSE_BUS_ADDRESS";

} // namespace gh::dbus
