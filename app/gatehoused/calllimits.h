// Admission to gatehoused's worker pool. Every call that runs on a worker takes a slot of its bus
// connection, of its uid (system mode: one uid, many connections) and of the service as a whole
// (the bound of the work queue). A call beyond any of these is refused at once with
// Errc::ServiceBusy ("too many calls in progress; try again", retryAfterSeconds = 1) instead of
// waiting in the queue, so one caller's flood of sign-ins never delays another caller's.
#pragma once

#include "errors.h"

#include <QHash>
#include <QString>

#include <mutex>

namespace gh::service {

class CallLimits {
public:
    struct Limits {
        int perConnection = 4; // calls in progress (queued or running) from one bus connection
        int perUid = 4;        // from one uid over all its connections (system mode only)
        int total = 32;        // from everyone: workers plus the queue behind them
    };
    static constexpr qint64 kRetryAfterSecs = 1;

    // `perUid`: whether the uid limit applies (system mode; a session-mode service has one uid).
    CallLimits(Limits limits, bool perUid) : m_limits(limits), m_perUid(perUid) {}

    // Takes a slot for one call, or says which limit is reached. Each admitted call is release()d once.
    Status admit(quint32 uid, const QString& connection);
    void release(quint32 uid, const QString& connection);
    int inFlight() const;

private:
    mutable std::mutex m_lock;
    Limits m_limits;
    bool m_perUid;
    int m_total = 0;
    QHash<quint32, int> m_uids;
    QHash<QString, int> m_connections;
};

} // namespace gh::service
