// The Gatehouse window as the agent of io.gatehouse.Authority1.RequestSignIn (issue 11), like a
// polkit agent: once the vault is open the window registers (Client::registerAgent) and gatehoused
// sends it each application's sign-in request (io.gatehouse.AuthorityAgent1.BeginSignIn). The
// prompt (AgentPrompt.qml) names the application (Name and Icon of its .desktop file, else its
// id), the reason it gave and the permissions it asks for with their declared descriptions.
//
// Who answers: the person signed in to the window. Signed out, the window comes to the front with
// the request on top of its sign-in screen; after the sign-in (password and second factor, the
// ordinary Login screen) the prompt asks Allow / Deny. Signed in, it asks Allow / Deny at once;
// Allow answers with the window's own session (AgentResponse) and, when that sign-in is more than
// 5 minutes old, first asks for the password and code again (StepUpModel: "Confirm it's you").
// Cancel (Escape) answers Cancelled, Deny answers Denied. The application never sees a password,
// a code or the window's session: gatehoused issues it a session of its own (AuthorityService::delegate).
// Requests that arrive while a prompt is open wait their turn.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;
class AgentModel;

// io.gatehouse.AuthorityAgent1 on the window's bus connection (exported by Client::registerAgent).
class AgentAdaptor : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "io.gatehouse.AuthorityAgent1")
public:
    explicit AgentAdaptor(AgentModel* model);
public Q_SLOTS:
    Q_SCRIPTABLE void BeginSignIn(const QString& requestId, const QVariantMap& request);
    Q_SCRIPTABLE void CancelSignIn(const QString& requestId);

private:
    AgentModel* m_model;
};

class AgentModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.agent")
    Q_PROPERTY(bool active READ active NOTIFY changed)
    Q_PROPERTY(bool registered READ registered NOTIFY changed)
    Q_PROPERTY(QString appId READ appId NOTIFY changed)
    Q_PROPERTY(QString appName READ appName NOTIFY changed)
    Q_PROPERTY(QString iconSource READ iconSource NOTIFY changed) // a file URL, or empty
    Q_PROPERTY(QString reason READ reason NOTIFY changed)
    Q_PROPERTY(QString program READ program NOTIFY changed)
    // [{name, description, twoFactor}]
    Q_PROPERTY(QVariantList permissions READ permissions NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)
    // The answer went out and was refused (e.g. the person holds none of the permissions): the
    // prompt shows why and offers Close only.
    Q_PROPERTY(bool finished READ finished NOTIFY changed)
    Q_PROPERTY(int queued READ queued NOTIFY changed) // requests waiting behind this one
    Q_PROPERTY(int timeoutSecs READ timeoutSecs NOTIFY changed)

public:
    explicit AgentModel(AppController* app);

    static constexpr const char* kObjectPath = "/io/gatehouse/Agent";

    bool active() const { return !m_queue.isEmpty(); }
    bool registered() const { return m_registered; }
    QString appId() const { return current().appId; }
    QString appName() const { return current().appName; }
    QString iconSource() const { return current().icon; }
    QString reason() const { return current().reason; }
    QString program() const { return current().program; }
    QVariantList permissions() const { return current().permissions; }
    QString error() const { return m_error; }
    bool finished() const { return m_finished; }
    int queued() const { return m_queue.isEmpty() ? 0 : int(m_queue.size()) - 1; }
    int timeoutSecs() const { return current().timeoutSecs; }

    // Registers with gatehoused (after the vault opened; again after a service restart).
    void start();
    Q_INVOKABLE void allow();
    Q_INVOKABLE void deny();
    Q_INVOKABLE void cancel();
    Q_INVOKABLE void dismiss(); // Close after a refusal

    // From the adaptor.
    void begin(const QString& requestId, const QVariantMap& request);
    void cancelled(const QString& requestId);

    // Name and icon of <appId>.desktop in $XDG_DATA_HOME/applications or $XDG_DATA_DIRS/applications
    // (empty when there is none); the icon as a file URL (an absolute Icon= or a hicolor/pixmaps file).
    static std::pair<QString, QString> desktopEntry(const QString& appId);

Q_SIGNALS:
    void changed();
    void requested(); // a prompt appeared: the window comes to the front

private:
    struct Request {
        QString id;
        QString appId;
        QString appName;
        QString icon;
        QString reason;
        QString program;
        QVariantList permissions;
        int timeoutSecs = 0;
    };
    const Request& current() const;
    void next();
    void answerCancel(bool denied);

    AppController* m_app;
    AgentAdaptor* m_adaptor;
    QList<Request> m_queue;
    QString m_error;
    bool m_finished = false;
    bool m_registered = false;
    bool m_answering = false;
};

} // namespace gh::ui
