#include "auditmodel.h"

#include "appcontroller.h"
#include "factortext.h"

#include <QLocale>

namespace gh::ui {

using factortext::isMaskedName;
using factortext::layerPlainName;
using factortext::outcomeText;
using factortext::plainName;

// ---- AuditEventsModel ------------------------------------------------------------------------

AuditEventsModel::AuditEventsModel(AppController* app, QObject* parent) : QAbstractListModel(parent), m_app(app) {}

int AuditEventsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

const AuditEvent* AuditEventsModel::at(int row) const {
    return row >= 0 && row < m_events.size() ? &m_events.at(row) : nullptr;
}

QVariant AuditEventsModel::data(const QModelIndex& index, int role) const {
    const AuditEvent* e = at(index.row());
    if (!e || index.parent().isValid())
        return {};
    switch (role) {
    case IdRole:
        return e->id;
    case TimeRole:
        return e->time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case DayRole:
        return QLocale().toString(e->time.toLocalTime().date(), QLocale::LongFormat);
    case ActorRole:
        return plainName(e->actor);
    case Qt::DisplayRole:
    case ActionRole:
        return e->action;
    case LayerRole:
        return static_cast<int>(e->layer);
    case LayerNameRole:
        return layerName(e->layer);
    case OutcomeRole:
        return outcomeName(e->outcome);
    case OutcomeTextRole:
        return outcomeText(e->outcome);
    case SubjectRole:
        return plainName(e->subject);
    case DetailRole:
        return e->detail;
    default:
        return {};
    }
}

QHash<int, QByteArray> AuditEventsModel::roleNames() const {
    return {{IdRole, "eventId"},
            {TimeRole, "time"},
            {ActorRole, "actor"},
            {ActionRole, "action"},
            {LayerRole, "layerNumber"},
            {LayerNameRole, "layerName"},
            {OutcomeRole, "outcome"},
            {SubjectRole, "subject"},
            {DetailRole, "detail"},
            {OutcomeTextRole, "outcomeText"},
            {DayRole, "day"}};
}

bool AuditEventsModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_more && !m_fetching;
}

void AuditEventsModel::fetchMore(const QModelIndex& parent) {
    auto session = m_app->session();
    if (parent.isValid() || !m_more || m_fetching || !session)
        return;
    AuditQuery q = m_filter;
    q.beforeId = m_nextBeforeId;
    q.limit = kPage;
    m_fetching = true;
    Q_EMIT loadingChanged();
    const quint64 generation = m_generation;
    m_app->run([session, q](Client& gh) { return gh.queryAudit(*session, q); },
               [this, generation](Result<AuditPage> page) {
                   if (generation != m_generation)
                       return; // a newer filter replaced this one
                   m_fetching = false;
                   if (!page) {
                       m_more = false;
                       Q_EMIT loadingChanged();
                       Q_EMIT failed(page.error());
                       return;
                   }
                   if (!page->events.isEmpty()) {
                       const int first = count();
                       beginInsertRows({}, first, first + static_cast<int>(page->events.size()) - 1);
                       m_events += page->events;
                       endInsertRows();
                       Q_EMIT countChanged();
                   }
                   m_nextBeforeId = page->nextBeforeId;
                   m_more = m_nextBeforeId != 0;
                   Q_EMIT loadingChanged();
               });
}

void AuditEventsModel::clear() {
    // State first: a view may call fetchMore() from inside endResetModel(), and must find
    // nothing more to fetch rather than the old filter's next page.
    ++m_generation;
    m_nextBeforeId = 0;
    m_more = false;
    m_fetching = false;
    beginResetModel();
    m_events.clear();
    endResetModel();
    Q_EMIT countChanged();
    Q_EMIT loadingChanged();
}

void AuditEventsModel::reset(const AuditQuery& filter) {
    clear();
    m_filter = filter;
    m_more = true;
    fetchMore({});
}

// ---- AuditModel ------------------------------------------------------------------------------

AuditModel::AuditModel(AppController* app) : QObject(app), m_app(app), m_events(new AuditEventsModel(app, this)) {
    connect(m_events, &AuditEventsModel::failed, this, [this](const Error& error) {
        if (error.code == Errc::SessionInvalid)
            return m_app->signOut(describe(error));
        setError(describe(error));
    });
}

void AuditModel::setError(const QString& error) {
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void AuditModel::setChain(const QString& state, const QString& text) {
    m_chainState = state;
    m_chainText = text;
    Q_EMIT chainChanged();
}

void AuditModel::load() {
    auto session = m_app->session();
    if (!session)
        return unload();
    m_username = session->info.username;
    setError({});
    select(-1);
    // What the screen offers; the core decides again on every call. Asked before the first page
    // (one worker: in this order), so the header is right when the rows come.
    m_app->run([session](Client& gh) { return gh.permissionsOf(*session); },
               [this, session](Result<QStringList> held) {
                   if (session != m_app->session())
                       return;
                   m_readsAll = session->info.restriction == Restriction::None && held &&
                                held->contains(permissionName(Permission::AuditRead));
                   Q_EMIT loaded();
                   if (m_chainState == QLatin1String("unknown"))
                       setChain(QStringLiteral("unknown"),
                                m_readsAll ? tr("Not verified yet in this session.")
                                           : tr("Verifying the chain needs the audit.read permission."));
               });
    m_events->reset(m_filter);
}

void AuditModel::unload() {
    m_events->clear();
    m_filter = AuditQuery{};
    m_readsAll = false;
    m_username.clear();
    m_selectedRow = -1;
    m_selected.clear();
    m_error.clear();
    m_chainState = QStringLiteral("unknown");
    m_chainText.clear();
    Q_EMIT loaded();
    Q_EMIT filterChanged();
    Q_EMIT selectionChanged();
    Q_EMIT errorChanged();
    Q_EMIT chainChanged();
}

void AuditModel::applyFilter(const QString& user, int layer, const QString& outcome) {
    AuditQuery q;
    q.user = user.trimmed();
    if (layer >= 1 && layer <= 4)
        q.layer = static_cast<Layer>(layer);
    q.outcome = parseOutcome(outcome);
    m_filter = q;
    Q_EMIT filterChanged();
    setError({});
    select(-1);
    m_events->reset(m_filter);
}

QVariantMap AuditModel::describeEvent(const AuditEvent& e) {
    // The diagnosis names people too: with the masked name replaced, it says "an unknown name".
    AuditEvent plain = e;
    plain.actor = plainName(e.actor);
    plain.subject = plainName(e.subject);
    const Diagnosis d = diagnose(plain);
    const QString masked = isMaskedName(e.subject) ? e.subject : isMaskedName(e.actor) ? e.actor : QString();
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("time"), QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat)},
            {QStringLiteral("actor"), plain.actor},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("layerName"), layerName(e.layer)},
            {QStringLiteral("outcome"), outcomeName(e.outcome)},
            {QStringLiteral("outcomeText"), outcomeText(e.outcome)},
            {QStringLiteral("subject"), plain.subject},
            {QStringLiteral("maskedName"), masked},
            {QStringLiteral("detail"), e.detail},
            {QStringLiteral("origin"), e.origin},
            {QStringLiteral("problem"), d.problem},
            {QStringLiteral("diagnosisLayer"), static_cast<int>(d.layer)},
            {QStringLiteral("diagnosisLayerName"), layerPlainName(d.layer)},
            {QStringLiteral("title"), d.title},
            {QStringLiteral("explanation"), d.explanation},
            {QStringLiteral("fix"), d.fix}};
}

void AuditModel::select(int row) {
    const AuditEvent* e = m_events->at(row);
    m_selectedRow = e ? row : -1;
    m_selected = e ? describeEvent(*e) : QVariantMap();
    Q_EMIT selectionChanged();
    // Then the event as the service reads it alone, checked against the chain (a page of the
    // list is not checked event by event): an edited event is diagnosed as edited, as
    // `gatehousectl audit diagnose` does, not explained as what happened.
    auto session = m_app->session();
    if (!e || !session)
        return;
    const qint64 id = e->id;
    m_app->run([session, id](Client& gh) { return gh.auditEvent(*session, id); },
               [this, id](Result<AuditEvent> checked) {
                   const AuditEvent* shown = m_events->at(m_selectedRow);
                   if (!checked || checked->broken.isEmpty() || !shown || shown->id != id)
                       return;
                   m_selected = describeEvent(*checked);
                   Q_EMIT selectionChanged();
               });
}

void AuditModel::verifyNow() {
    auto session = m_app->session();
    if (!session || m_chainState == QLatin1String("checking"))
        return;
    setChain(QStringLiteral("checking"), tr("Checking every event's link to the one before…"));
    // On the worker thread: about a second per million events.
    m_app->run([session](Client& gh) { return gh.verifyAudit(*session); },
               [this](Result<ChainReport> report) {
                   if (!m_app->session())
                       return;
                   const QString when = QLocale().toString(QTime::currentTime(), QLocale::ShortFormat);
                   if (!report) {
                       if (report.code() == Errc::SessionInvalid)
                           return m_app->signOut(describe(report.error()));
                       return setChain(QStringLiteral("error"), describe(report.error()));
                   }
                   if (report->intact)
                       return setChain(QStringLiteral("intact"),
                                       tr("Chain intact: %Ln event(s), each linked to the one before (checked at %1).",
                                          nullptr, static_cast<int>(report->events))
                                           .arg(when));
                   setChain(QStringLiteral("broken"),
                            tr("Chain BROKEN at event %1: %2. Events from there on cannot be trusted (checked at %3).")
                                .arg(report->firstBrokenId)
                                .arg(report->reason, when));
               });
}

void AuditModel::back() {
    m_app->showHome();
}

} // namespace gh::ui
