// The application's root view-model (a QML singleton): it owns the gh::Gatehouse facade, the
// vault path, the signed-in gh::Session and which screen is current. Every facade call that
// hashes or derives a key runs on one worker thread (calls are serialised; the facade is locked
// as well); the calls that reach the Secret Service run on the GUI thread (see openVault()). The per-screen view-models
// hang off it as constant properties.
#pragma once

#include "auditmodel.h"
#include "changepasswordmodel.h"
#include "enrollmodel.h"
#include "firstrunmodel.h"
#include "healthmodel.h"
#include "homemodel.h"
#include "loginmodel.h"
#include "rolesmodel.h"
#include "secondfactormodel.h"
#include "securitykeymodel.h"
#include "securitymodel.h"
#include "sessionsmodel.h"
#include "sessionwatcher.h"
#include "stepupmodel.h"
#include "unlockmodel.h"

#include "gatehouse.h"

#include <QFutureWatcher>
#include <QObject>
#include <QQuickWindow>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <type_traits>

QT_BEGIN_NAMESPACE
class QQmlEngine;
class QJSEngine;
QT_END_NAMESPACE

namespace gh::ui {

class AppController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Screen screen READ screen NOTIFY screenChanged)
    Q_PROPERTY(QString vaultPath READ vaultPath CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // L1 state: the vault is opened in the background after the first frame.
    Q_PROPERTY(bool vaultOpen READ vaultOpen NOTIFY vaultChanged)
    Q_PROPERTY(bool vaultOpening READ vaultOpening NOTIFY vaultChanged)
    Q_PROPERTY(QString vaultError READ vaultError NOTIFY vaultChanged)
    Q_PROPERTY(QString keyLocation READ keyLocation NOTIFY vaultChanged)
    Q_PROPERTY(gh::ui::FirstRunModel* firstRun READ firstRun CONSTANT)
    Q_PROPERTY(gh::ui::UnlockModel* unlock READ unlock CONSTANT)
    Q_PROPERTY(gh::ui::LoginModel* login READ login CONSTANT)
    Q_PROPERTY(gh::ui::ChangePasswordModel* changePassword READ changePassword CONSTANT)
    Q_PROPERTY(gh::ui::HomeModel* home READ home CONSTANT)
    Q_PROPERTY(gh::ui::SecondFactorModel* secondFactor READ secondFactor CONSTANT)
    Q_PROPERTY(gh::ui::EnrollModel* enroll READ enroll CONSTANT)
    Q_PROPERTY(gh::ui::SecurityModel* security READ security CONSTANT)
    Q_PROPERTY(gh::ui::RolesModel* roles READ roles CONSTANT)
    Q_PROPERTY(gh::ui::SecurityKeyModel* securityKey READ securityKey CONSTANT)

    Q_PROPERTY(gh::ui::AuditModel* audit READ audit CONSTANT)
    Q_PROPERTY(gh::ui::HealthModel* health READ health CONSTANT)

    Q_PROPERTY(gh::ui::SessionsModel* sessions READ sessions CONSTANT)
    Q_PROPERTY(gh::ui::SessionWatcher* watcher READ watcher CONSTANT)
    Q_PROPERTY(gh::ui::StepUpModel* stepUp READ stepUp CONSTANT)

public:
    enum Screen {
        FirstRun,
        Unlock,
        Login,
        SecondFactor,
        ChangePassword,
        Enroll,
        Home,
        Security,
        Roles,
        Audit,
        Sessions
    };
    Q_ENUM(Screen)

    struct Options {
        QString vaultPath; // empty: Gatehouse::defaultVaultPath()
        Services services; // tests lower the Argon2 parameters here
    };
    // main() and tests call this before the QML engine creates the singleton.
    static void setOptions(Options options);
    static AppController* create(QQmlEngine* qmlEngine, QJSEngine* jsEngine);

    explicit AppController(Options options, QObject* parent = nullptr);
    ~AppController() override;

    // Begins the vault work (open, keychain probe) once `window` has shown its first frame, so
    // start-up paints before any keychain or disk work.
    Q_INVOKABLE void startAfterFirstFrame(QQuickWindow* window);
    Q_INVOKABLE void retryOpen();

    Screen screen() const { return m_screen; }
    QString vaultPath() const { return m_vaultPath; }
    bool busy() const { return m_busy > 0; }
    bool vaultOpen() const { return m_vaultOpen; }
    bool vaultOpening() const { return m_vaultOpening; }
    QString vaultError() const { return m_vaultError; }
    QString keyLocation() const { return m_keyLocation; }
    FirstRunModel* firstRun() const { return m_firstRun; }
    UnlockModel* unlock() const { return m_unlock; }
    LoginModel* login() const { return m_login; }
    ChangePasswordModel* changePassword() const { return m_changePassword; }
    HomeModel* home() const { return m_home; }
    SecondFactorModel* secondFactor() const { return m_secondFactor; }
    EnrollModel* enroll() const { return m_enroll; }
    SecurityModel* security() const { return m_security; }
    RolesModel* roles() const { return m_roles; }
    SecurityKeyModel* securityKey() const { return m_securityKey; }
    AuditModel* audit() const { return m_audit; }
    HealthModel* health() const { return m_health; }
    SessionsModel* sessions() const { return m_sessions; }
    SessionWatcher* watcher() const { return m_watcher; }
    StepUpModel* stepUp() const { return m_stepUp; }

    // For the screen models.
    Gatehouse& facade() { return *m_gatehouse; }
    const std::shared_ptr<Session>& session() const { return m_session; }
    // A copy for a worker call that re-issues the session (the secret is cloned, wiped with it).
    static std::shared_ptr<Session> copyOf(const Session& session) {
        return std::make_shared<Session>(Session{session.info, session.secret.clone()});
    }
    // On the GUI thread: installs a re-issued session unless the user signed out meanwhile.
    void replaceSession(const std::shared_ptr<Session>& old, Session renewed) {
        if (m_session == old && old)
            *m_session = std::move(renewed);
    }
    void setScreen(Screen screen);

    // What opening the vault found out (computed on the worker thread).
    struct OpenOutcome {
        Status status;
        bool needsFirstAdmin = false;
        KeySource source = KeySource::Keychain;
        QString keyLocation;
    };
    static OpenOutcome openOn(Gatehouse& gh, const QString& path, const SecureBuffer* passphrase);
    void vaultOpenedWith(const OpenOutcome& outcome); // after a successful open
    void setVaultOpen(const QString& keyLocation);
    void firstAdminCreated(const QString& username);
    // The password was right; the account needs a second factor (LoginStep not complete).
    void beginSecondStep(const QString& username, const QString& pendingId, const QList<FactorKind>& offered);
    // Back from the second step (cancelled, or the pending login expired: `error` says so).
    void backToPasswordStep(const QString& error);
    void signedIn(Session session);
    void sessionUpdated();  // the held session was re-issued (password changed): route it again
    void sessionReissued(); // re-issued in place (TOTP confirmed): refresh what shows it
    // The enrollment wizard; a restricted session (EnrollSecondFactor) can reach nothing else.
    void openWizard(EnrollModel::Origin origin, EnrollModel::Step first);
    void leaveWizard(EnrollModel::Origin origin);
    Q_INVOKABLE void showHome();     // refused while the session is restricted
    Q_INVOKABLE void showSecurity(); // My security; refused while restricted
    Q_INVOKABLE void showRoles();    // Roles; refused while restricted (and by core without roles.assign)
    Q_INVOKABLE void showAudit();    // the audit log; refused while restricted
    // Ends the session, back to the login screen.
    Q_INVOKABLE void signOut(const QString& reason = {});
    Q_INVOKABLE void showSessions(); // Active sessions; refused while restricted
    // The core says the held session is over (revoked elsewhere, idle, absolute lifetime): lock
    // to the login screen with the reason (SES-05).
    void sessionEnded(const Error& why);

    // Runs `work` (on the worker thread, gets the facade) and then `done(result)` on the GUI
    // thread. Results travel in a shared_ptr because Result<Session> is move-only.
    template <class Work, class Done> void run(Work work, Done done);
    // The same contract, but `work` runs on the GUI thread (from the event loop, right after the
    // caller returns). For the calls that reach the Secret Service; see keychainCall() below.
    template <class Work, class Done> void runOnGuiThread(Work work, Done done);

    // A single worker thread for the whole process (never expiring), so facade calls are
    // serialised even across controllers (tests create several). Keychain calls do not run here.
    static QThreadPool& workerPool();

Q_SIGNALS:
    void screenChanged();
    void busyChanged();
    void vaultChanged();

private:
    void start();
    void openVault();
    void setVaultState(bool open, bool opening, const QString& error);
    void route(); // the screen the session's gate allows (change password, enroll, home)

    QString m_vaultPath;
    std::unique_ptr<Gatehouse> m_gatehouse;
    std::shared_ptr<Session> m_session;
    Screen m_screen = Login;
    int m_busy = 0;
    bool m_started = false;
    bool m_vaultOpen = false;
    bool m_vaultOpening = false;
    QString m_vaultError;
    QString m_keyLocation;

    FirstRunModel* m_firstRun;
    UnlockModel* m_unlock;
    LoginModel* m_login;
    ChangePasswordModel* m_changePassword;
    HomeModel* m_home;
    SecondFactorModel* m_secondFactor;
    EnrollModel* m_enroll;
    SecurityModel* m_security;
    RolesModel* m_roles;
    SecurityKeyModel* m_securityKey = nullptr;
    AuditModel* m_audit;
    HealthModel* m_health;
    SessionsModel* m_sessions;
    SessionWatcher* m_watcher;
    StepUpModel* m_stepUp;

    // The one worker thread every facade call runs on (see workerPool()).
    QThreadPool& m_pool;
};

template <class Work, class Done> void AppController::runOnGuiThread(Work work, Done done) {
    if (m_busy++ == 0)
        Q_EMIT busyChanged();
    QMetaObject::invokeMethod(
        this,
        [this, work = std::move(work), done = std::move(done)]() mutable {
            auto result = work(*m_gatehouse);
            if (--m_busy == 0)
                Q_EMIT busyChanged();
            done(std::move(result));
        },
        Qt::QueuedConnection);
}

template <class Work, class Done> void AppController::run(Work work, Done done) {
    using R = std::invoke_result_t<Work, Gatehouse&>;
    auto* watcher = new QFutureWatcher<std::shared_ptr<R>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, done = std::move(done)]() mutable {
        std::shared_ptr<R> result = watcher->result();
        watcher->deleteLater();
        if (--m_busy == 0)
            Q_EMIT busyChanged();
        done(std::move(*result));
    });
    if (m_busy++ == 0)
        Q_EMIT busyChanged();
    Gatehouse* facadePtr = m_gatehouse.get();
    watcher->setFuture(QtConcurrent::run(
        &m_pool, [facadePtr, work = std::move(work)]() mutable { return std::make_shared<R>(work(*facadePtr)); }));
}

} // namespace gh::ui
