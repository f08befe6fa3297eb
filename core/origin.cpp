#include "origin.h"

namespace gh {

namespace {
thread_local CallerOrigin t_origin;
}

QString CallerOrigin::describe() const {
    if (!known)
        return {};
    QString s =
        QStringLiteral("%1 (uid %2, pid %3").arg(program.isEmpty() ? QStringLiteral("?") : program).arg(uid).arg(pid);
    for (const QString* part : {&tty, &seat})
        if (!part->isEmpty())
            s += QStringLiteral(", ") + *part;
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
