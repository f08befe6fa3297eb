#include "origin.h"

namespace gh {

namespace {
thread_local CallerOrigin t_origin;
}

QString CallerOrigin::programName() const {
    // The process names itself (/proc/PID/comm, any bytes): only characters that cannot imitate
    // the parts the kernel and the bus vouch for (no space, comma or parenthesis) are kept.
    QString out;
    for (QChar c : program) {
        const bool plain = (c.unicode() < 128 && c.isLetterOrNumber()) || QStringView(u"._+-@/").contains(c);
        out += plain ? c : QLatin1Char('?');
    }
    return out.isEmpty() ? QStringLiteral("?") : out;
}

QString CallerOrigin::seatName() const {
    // XDG_SEAT is the process's own environment, not vouched for: shown only as a logind seat name.
    if (seat.size() < 5 || seat.size() > 32 || !seat.startsWith(QLatin1String("seat")))
        return {};
    for (QChar c : QStringView(seat).mid(4))
        if (!(c.unicode() < 128 && (c.isLetterOrNumber() || c == u'_' || c == u'-')))
            return {};
    return seat;
}

QString CallerOrigin::describe() const {
    if (!known)
        return {};
    QString s = QStringLiteral("%1 (uid %2, pid %3").arg(programName()).arg(uid).arg(pid);
    for (const QString& part : {tty, seatName()})
        if (!part.isEmpty())
            s += QStringLiteral(", ") + part;
    if (!peer.isEmpty())
        s += QStringLiteral(", bus ") + peer;
    return s + QLatin1Char(')');
}

const CallerOrigin& currentOrigin() {
    return t_origin;
}

OriginScope::OriginScope(CallerOrigin origin) : m_previous(std::move(t_origin)) {
    t_origin = std::move(origin);
}

OriginScope::~OriginScope() {
    t_origin = std::move(m_previous);
}

} // namespace gh
