// Active sessions (DESIGN.md GUI screen 5): the person's own sessions (every account's for an
// administrator) with client, created, last active, live idle and absolute countdowns, factors
// and assurance level, the current one marked; revoke one, revoke all others. Revoking needs a
// recent sign-in (SES-04/SES-06): when the core answers StepUpRequired the screen asks for the
// password (and a code when the account has an authenticator) and then retries the action.
#pragma once

#include "gatehouseclient.h"

#include "secretinput.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace gh::ui {

class AppController;

class SessionsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.sessions")
    Q_PROPERTY(bool allUsers READ allUsers NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)
    Q_PROPERTY(QString notice READ notice NOTIFY changed)
    Q_PROPERTY(bool stepUpNeeded READ stepUpNeeded NOTIFY changed)
    Q_PROPERTY(bool stepUpNeedsCode READ stepUpNeedsCode NOTIFY changed)
    Q_PROPERTY(QString stepUpError READ stepUpError NOTIFY changed)
    Q_PROPERTY(int count READ rowCount NOTIFY changed)

public:
    enum Role {
        SessionIdRole = Qt::UserRole + 1,
        UsernameRole,
        ClientRole,
        CreatedRole,
        LastActiveRole,
        IdleLeftRole,
        AbsoluteLeftRole,
        FactorsRole,
        AalRole,       // "AAL2" (the detail, in the tooltip)
        AssuranceRole, // "Two-step sign-in"
        CurrentRole,
    };

    explicit SessionsModel(AppController* app);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool allUsers() const { return m_allUsers; }
    bool loading() const { return m_loading; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }
    bool stepUpNeeded() const { return m_stepUpNeeded; }
    bool stepUpNeedsCode() const { return m_stepUpNeedsCode; }
    QString stepUpError() const { return m_stepUpError; }

    Q_INVOKABLE void load();
    Q_INVOKABLE void revoke(const QString& sessionId);
    Q_INVOKABLE void revokeOthers();
    // Step-up: the password (and the authenticator code when asked for), then the pending action.
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void stepUp(gh::ui::SecretInput* password, gh::ui::SecretInput* code);
    void stepUp(const QString& password, const QString& code);
    Q_INVOKABLE void cancelStepUp();
    Q_INVOKABLE void back();
    void unload();

Q_SIGNALS:
    void changed();

private:
    using Action = std::function<Status(Client&, const Session&)>;
    void perform(Action action, const QString& done);
    void tick();
    static QString left(qint64 secs);

    AppController* m_app;
    QList<SessionInfo> m_rows;
    QElapsedTimer m_loadedAt; // countdowns run from the moment of the last load
    QTimer m_timer;
    bool m_allUsers = false;
    bool m_loading = false;
    QString m_error;
    QString m_notice;
    bool m_stepUpNeeded = false;
    bool m_stepUpNeedsCode = false;
    QString m_stepUpError;
    Action m_pending;
    QString m_pendingDone;
};

} // namespace gh::ui
