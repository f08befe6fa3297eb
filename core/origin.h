// The process a facade call is made for. In gatehoused every call comes from a client over the
// bus, whose uid and pid the bus daemon vouches for (peer credentials); the service sets the
// origin for the duration of the call (OriginScope) so the sessions it issues record the client's
// pid and source instead of the service's own. In-process callers (tests, tools) have none.
#pragma once

#include <QString>

namespace gh {

struct CallerOrigin {
    bool known = false;
    quint32 uid = 0;
    qint64 pid = 0;
    QString program; // /proc/<pid>/comm when readable
    QString tty;     // controlling terminal (e.g. "pts/3") when readable
    QString seat;    // XDG_SEAT of the process when readable (e.g. "seat0")
    QString peer;    // the bus's unique name of the connection (e.g. ":1.42")
    // "gatehousectl (uid 1000, pid 4242, pts/3, seat0, bus :1.42)". uid, pid and bus come from
    // the bus daemon, tty from the kernel; the program name and the seat are the process's own
    // choice, so they are shown only in forms that cannot imitate the rest (programName, seatName).
    QString describe() const;
    QString programName() const; // program with anything but [A-Za-z0-9._+-@/] as '?'; "?" when empty
    QString seatName() const;    // seat when it is a logind seat name ("seat0", "seat-1"), else empty
};

const CallerOrigin& currentOrigin();

class OriginScope {
public:
    explicit OriginScope(CallerOrigin origin);
    ~OriginScope();
    OriginScope(const OriginScope&) = delete;
    OriginScope& operator=(const OriginScope&) = delete;

private:
    CallerOrigin m_previous;
};

} // namespace gh
