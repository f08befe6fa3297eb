// The anti-rollback anchor (INT-01): a small record of the vault's newest committed state kept
// outside the vault file, where the vault's writer keeps its key (the Secret Service entry
// "anchor:<path>" next to "vault:<path>" in session mode; a 0600 file in the service's state
// directory in system mode). It holds a monotonic commit counter (meta.commit_seq, raised by every
// write transaction) and the id and MAC of the newest audit event, and is itself MACed with a
// subkey of the vault key, so only someone holding the key can forge one.
//
// Commit order is vault first, then anchor, so the anchor is never ahead of a vault that was
// committed. On open a vault behind its anchor (an older copy restored, a lost or damaged
// write-ahead log, events removed from the end of the log) is refused; a vault ahead of it (a
// crash between the two writes) brings the anchor up to date and says so in the audit log.
#pragma once

#include "../crypto/securebuffer.h"
#include "../errors.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gh {

struct AnchorState {
    qint64 seq = 0;     // meta.commit_seq: every committed write transaction adds one
    qint64 auditId = 0; // newest audit event (0: none)
    QByteArray auditMac;
    bool operator==(const AnchorState&) const = default;
};

// What opening found when it compared the vault with its anchor.
enum class AnchorVerdict {
    Same,     // the anchor records exactly this vault
    Ahead,    // the vault holds every anchored commit and more (crash between the two writes)
    Created,  // first anchor for a vault made before anchors existed, or a new vault
    Behind,   // the vault lacks commits its anchor records: rollback, lost WAL, removed events
    Diverged, // the anchor's newest audit event is not in the vault as recorded
    Missing,  // the vault has been anchored before but no anchor is found
    Damaged,  // the stored anchor does not parse or its MAC does not check
};

QString anchorVerdictName(AnchorVerdict verdict);

namespace anchor {
// Text form: "GHA1 <seq> <auditId> <auditMac hex> <tag hex>", tag = keyed BLAKE2b-256 of the rest.
QByteArray encode(const AnchorState& state, const SecureBuffer& tagKey);
std::optional<AnchorState> decode(const QByteArray& text, const SecureBuffer& tagKey);

// Writes `data` to `path` so that either the old or the new content is there after a crash:
// a 0600 temporary file in the same directory, fsync, rename over the target. The directory is
// not synced: a power loss may undo the rename and leave the previous anchor, which the vault is
// then ahead of, a state open() repairs (and audits) like a stop between the two writes — never
// one it refuses. Creates missing parent folders 0700.
Status writeFileDurably(const QString& path, const QByteArray& data);
// nullopt when the file does not exist; an error when it exists but cannot be read.
Result<std::optional<QByteArray>> readFile(const QString& path);
} // namespace anchor

} // namespace gh
