// Audit (DESIGN.md GUI screen 7): the audit log as a lazily paged list (filters: user, layer,
// outcome), the diagnosis of the selected event, and the chain status with "Verify now".
// Everything goes through gatehoused (gh::Client) on the worker thread; a session without
// audit.read sees its own history only (the core decides, the screen hides what it would refuse).
#pragma once

#include "gatehouseclient.h"

#include <QAbstractListModel>
#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

// Pages of kPage events, fetched when the view scrolls near the end (canFetchMore/fetchMore),
// so 100,000+ events cost only what is on screen plus the pages scrolled through.
class AuditEventsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.audit.events")
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool more READ more NOTIFY loadingChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TimeRole, // the local time of day; the list heads each day with DayRole
        ActorRole,
        ActionRole,
        LayerRole,     // 0…4
        LayerNameRole, // "L1"…"L4" or "-"
        OutcomeRole,   // "allowed", "denied", "failed", "info"
        SubjectRole,
        DetailRole,
        OutcomeTextRole, // the outcome in words people read (translated)
        DayRole,         // the local date in the locale's long form ("Sunday, 6 December 2026")
    };
    static constexpr int kPage = 200;

    explicit AuditEventsModel(AppController* app, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // The next page, asked by the list when it reaches its end (see Audit.qml); nothing while a
    // page is on its way or when there is no more.
    Q_INVOKABLE void loadMore() { fetchMore({}); }

    bool loading() const { return m_fetching; }
    bool more() const { return m_more; }
    int count() const { return static_cast<int>(m_events.size()); }
    const AuditEvent* at(int row) const;

    void reset(const AuditQuery& filter); // drops the rows and fetches the first page
    void clear();

Q_SIGNALS:
    void loadingChanged();
    void countChanged();
    void failed(const gh::Error& error);

private:
    AppController* m_app;
    AuditQuery m_filter;
    QList<AuditEvent> m_events;
    qint64 m_nextBeforeId = 0;
    bool m_more = false;
    bool m_fetching = false;
    quint64 m_generation = 0; // results of an older filter are dropped
};

class AuditModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.audit")
    Q_PROPERTY(gh::ui::AuditEventsModel* events READ events CONSTANT)
    Q_PROPERTY(QString filterUser READ filterUser NOTIFY filterChanged)
    Q_PROPERTY(int filterLayer READ filterLayer NOTIFY filterChanged)         // 0: any
    Q_PROPERTY(QString filterOutcome READ filterOutcome NOTIFY filterChanged) // empty: any
    // The session's role holds audit.read: every account's events, and chain verification.
    Q_PROPERTY(bool readsAll READ readsAll NOTIFY loaded)
    Q_PROPERTY(QString username READ username NOTIFY loaded)
    // "unknown", "checking", "intact", "broken" or "error"
    Q_PROPERTY(QString chainState READ chainState NOTIFY chainChanged)
    Q_PROPERTY(QString chainText READ chainText NOTIFY chainChanged)
    Q_PROPERTY(int selectedRow READ selectedRow NOTIFY selectionChanged)
    // {id, time, actor, action, layerName, outcome, subject, detail, problem, diagnosisLayer,
    //  diagnosisLayerName, title, explanation, fix}; empty when nothing is selected
    Q_PROPERTY(QVariantMap selected READ selected NOTIFY selectionChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit AuditModel(AppController* app);

    AuditEventsModel* events() const { return m_events; }
    QString filterUser() const { return m_filter.user; }
    int filterLayer() const { return m_filter.layer ? static_cast<int>(*m_filter.layer) : 0; }
    QString filterOutcome() const { return m_filter.outcome ? outcomeName(*m_filter.outcome) : QString(); }
    bool readsAll() const { return m_readsAll; }
    QString username() const { return m_username; }
    QString chainState() const { return m_chainState; }
    QString chainText() const { return m_chainText; }
    int selectedRow() const { return m_selectedRow; }
    QVariantMap selected() const { return m_selected; }
    QString error() const { return m_error; }

    Q_INVOKABLE void applyFilter(const QString& user, int layer, const QString& outcome);
    Q_INVOKABLE void select(int row);
    Q_INVOKABLE void verifyNow();
    Q_INVOKABLE void back();

    void load(); // entering the screen
    void unload();

    static QVariantMap describeEvent(const AuditEvent& event); // event + diagnosis, for QML

Q_SIGNALS:
    void loaded();
    void filterChanged();
    void chainChanged();
    void selectionChanged();
    void errorChanged();

private:
    void setError(const QString& error);
    void setChain(const QString& state, const QString& text);

    AppController* m_app;
    AuditEventsModel* m_events;
    AuditQuery m_filter;
    bool m_readsAll = false;
    QString m_username;
    QString m_chainState = QStringLiteral("unknown");
    QString m_chainText;
    int m_selectedRow = -1;
    QVariantMap m_selected;
    QString m_error;
};

} // namespace gh::ui
