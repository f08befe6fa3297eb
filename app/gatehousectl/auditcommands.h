// gatehousectl's audit commands (audit list, audit verify, audit diagnose) and the per-layer
// health that `status` prints. commands.cpp signs the caller in and hands over an AuditOutput, so
// these use the same output conventions (data → stdout, messages → stderr, --json) and the same
// failure path (describe() + exitCodeOf()).
#pragma once

#include "cli.h"

#include "gatehouseclient.h"

#include <QJsonObject>

#include <functional>

namespace gh::cli {

struct AuditOutput {
    std::function<void(const QString&)> print;            // one line of data (stdout)
    std::function<void(const QString&)> say;              // one line for people (stderr)
    std::function<void(const QJsonObject&)> emitJson;     // the --json document
    std::function<int(const Error&)> fail;                // message + exit code
    std::function<void(const QList<QStringList>&)> table; // aligned columns (stdout)
};

int auditList(Client& gatehouse, const Session& session, const Invocation& inv, const AuditOutput& out);
// Exit 0 when the chain is intact, 1 naming the first broken event.
int auditVerify(Client& gatehouse, const Session& session, const Invocation& inv, const AuditOutput& out);
int auditDiagnose(Client& gatehouse, const Session& session, const Invocation& inv, const AuditOutput& out);

// `status`: one summary line per layer and its warnings ("!"), with where each is fixed.
QList<QStringList> layerHealthRows(const LayerHealth& health);
QJsonObject layerHealthJson(const LayerHealth& health);

} // namespace gh::cli
