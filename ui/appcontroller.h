// The application's root view-model (a QML singleton): it owns the gh::Client (gatehoused over
// D-Bus: the GUI never opens the vault or sees its key), the vault path, the signed-in gh::Session
// and which screen is current. Every call to the service blocks, so all of them run on one worker
// thread (calls are serialised; run() marks the app busy, runQuietly() does not), except the
// cancel of a security key that waits for a touch. The per-screen view-models hang off it as
// constant properties.
//
// Start-up: the service is asked, on the worker, whether the vault exists and where its key is
// (the first call may start gatehoused) as soon as the controller exists, while the window is
// still being built; the first real screen follows the answer (first run, unlock, or login while
// the vault opens), in the first frame when the answer came in time, else after the neutral
// Starting screen. When the service goes away (Client::serviceLost: a restart ends every
// session) the window locks, says so and opens the vault again.
#pragma once

#include "agentmodel.h"
#include "auditmodel.h"
#include "changepasswordmodel.h"
#include "enrollmodel.h"
#include "firstrunmodel.h"
#include "healthmodel.h"
#include "homemodel.h"
#include "loginmodel.h"
#include "peoplemodel.h"
#include "rolesmodel.h"
#include "secondfactormodel.h"
#include "securitykeymodel.h"
#include "securitymodel.h"
#include "sessionsmodel.h"
#include "sessionwatcher.h"
#include "stepupmodel.h"
#include "unlockmodel.h"

#include "gatehouseclient.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
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
    // About (Help): the version from the build (CMake's PROJECT_VERSION) and the Qt it runs on.
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString qtVersion READ qtVersion CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // The Starting screen: why the service could not be asked (empty while it is being asked).
    Q_PROPERTY(QString startError READ startError NOTIFY startErrorChanged)
    // L1 state: the vault is opened in the background after the first frame.
    Q_PROPERTY(bool vaultOpen READ vaultOpen NOTIFY vaultChanged)
    Q_PROPERTY(bool vaultOpening READ vaultOpening NOTIFY vaultChanged)
    // The keyring shows its own prompt (a password for a new keyring, or to unlock it) while the
    // window waits on the service: the window says so (keychainwait.h; looked for each second
    // while busy or opening the vault).
    Q_PROPERTY(bool keyringPrompt READ keyringPrompt NOTIFY keyringPromptChanged)
    Q_PROPERTY(QString vaultError READ vaultError NOTIFY vaultChanged)
    // The layer of the model the vault error belongs to (1: storage; 0 when none).
    Q_PROPERTY(int vaultErrorLayer READ vaultErrorLayer NOTIFY vaultChanged)
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
    Q_PROPERTY(gh::ui::PeopleModel* people READ people CONSTANT)
    Q_PROPERTY(gh::ui::SecurityKeyModel* securityKey READ securityKey CONSTANT)

    Q_PROPERTY(gh::ui::AuditModel* audit READ audit CONSTANT)
    Q_PROPERTY(gh::ui::HealthModel* health READ health CONSTANT)

    Q_PROPERTY(gh::ui::SessionsModel* sessions READ sessions CONSTANT)
    Q_PROPERTY(gh::ui::SessionWatcher* watcher READ watcher CONSTANT)
    Q_PROPERTY(gh::ui::StepUpModel* stepUp READ stepUp CONSTANT)
    // Other applications' sign-in requests (io.gatehouse.Authority1.RequestSignIn, issue 11).
    Q_PROPERTY(gh::ui::AgentModel* agent READ agent CONSTANT)

    // The window shell (issue 15): a session is held; the screen is one of the sidebar's sections.
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY sessionChanged)
    Q_PROPERTY(bool inShell READ inShell NOTIFY screenChanged)
    // Locked: the session is kept, the window shows only the lock screen until the password (and
    // a second factor when the session had one) is confirmed by the core (Client::stepUp).
    Q_PROPERTY(bool locked READ locked NOTIFY lockChanged)
    Q_PROPERTY(bool lockNeedsCode READ lockNeedsCode NOTIFY lockChanged)
    Q_PROPERTY(QString lockError READ lockError NOTIFY lockChanged)
    // Input-free time after which the window locks (0: never); kept in QSettings (lock/idleSeconds).
    Q_PROPERTY(int idleLockSecs READ idleLockSecs WRITE setIdleLockSecs NOTIFY idleLockSecsChanged)
    // What closing the window while signed in does when remembered: "", "signOut" or "lock"
    // (QSettings window/closeAction; nothing secret).
    Q_PROPERTY(QString closeChoice READ closeChoice WRITE setCloseChoice NOTIFY closeChoiceChanged)

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
        Sessions,
        People,
        Starting // before the service has answered: no screen that could turn out wrong
    };
    Q_ENUM(Screen)

    struct Options {
        QString vaultPath; // empty: Client::defaultVaultPath()
    };
    // main() and tests call this before the QML engine creates the singleton.
    static void setOptions(Options options);
    static AppController* create(QQmlEngine* qmlEngine, QJSEngine* jsEngine);

    explicit AppController(Options options, QObject* parent = nullptr);
    ~AppController() override;

    Q_INVOKABLE void retryStart(); // the Starting screen's "Try again"
    Q_INVOKABLE void retryOpen();

    Screen screen() const { return m_screen; }
    static QString version();
    static QString qtVersion();
    QString vaultPath() const { return m_vaultPath; }
    bool busy() const { return m_busy > 0; }
    bool keyringPrompt() const { return m_keyringPrompt; }
    QString startError() const { return m_startError; }
    bool vaultOpen() const { return m_vaultOpen; }
    bool vaultOpening() const { return m_vaultOpening; }
    QString vaultError() const { return m_vaultError; }
    int vaultErrorLayer() const { return m_vaultErrorLayer; }
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
    PeopleModel* people() const { return m_people; }
    SecurityKeyModel* securityKey() const { return m_securityKey; }
    AuditModel* audit() const { return m_audit; }
    HealthModel* health() const { return m_health; }
    SessionsModel* sessions() const { return m_sessions; }
    SessionWatcher* watcher() const { return m_watcher; }
    StepUpModel* stepUp() const { return m_stepUp; }
    AgentModel* agent() const { return m_agent; }
    bool signedIn() const { return m_session != nullptr; }
    bool inShell() const;
    bool locked() const { return m_locked; }
    bool lockNeedsCode() const { return m_lockNeedsCode; }
    QString lockError() const { return m_lockError; }
    int idleLockSecs() const { return m_idleLockSecs; }
    void setIdleLockSecs(int secs);
    QString closeChoice() const;
    void setCloseChoice(const QString& choice);

    static constexpr int kDefaultIdleLockSecs = 300;
    static constexpr const char* kIdleLockKey = "lock/idleSeconds";
    static constexpr const char* kCloseChoiceKey = "window/closeAction";

    // Locks the window (Ctrl+L, idle, the desktop's screen lock); the session stays.
    Q_INVOKABLE void lock();
    // The lock screen hands over its fields; the core checks the password (and code).
    Q_INVOKABLE void unlockWith(gh::ui::SecretInput* password, gh::ui::SecretInput* code);
    void unlockWith(const QString& password, const QString& code);

    // For the screen models.
    Client& client() { return *m_client; }
    const std::shared_ptr<Session>& session() const { return m_session; }
    // A copy for a worker call that re-issues the session (the secret is cloned, wiped with it).
    static std::shared_ptr<Session> copyOf(const Session& session) {
        return std::make_shared<Session>(Session{session.info, session.secret.clone()});
    }
    // On the GUI thread: installs a re-issued session unless the user signed out meanwhile (the
    // watcher re-arms its idle timers from the new session's deadlines).
    void replaceSession(const std::shared_ptr<Session>& old, Session renewed);
    void setScreen(Screen screen);

    // What opening the vault found out (computed on the worker thread).
    struct OpenOutcome {
        Status status;
        bool needsFirstAdmin = false;
        KeySource source = KeySource::Keychain;
        QString keyLocation;
    };
    static OpenOutcome openOn(Client& gh, const QString& path, const SecureBuffer* passphrase);
    void vaultOpenedWith(const OpenOutcome& outcome); // after a successful open
    void setVaultOpen(const QString& keyLocation);
    void firstAdminCreated(const QString& username);
    // The first run signed the new administrator in: set-up continues with the second factor.
    void setupSignedIn(Session session);
    // The password was right; the account needs a second factor (LoginStep not complete).
    void beginSecondStep(const QString& username, const QString& pendingId, const QList<FactorKind>& offered);
    // A passwordless sign-in with a security key began (LoginModel::signInWithKey): the key step.
    void beginKeyStep(const QString& username, const QString& pendingId);
    // Back from the second step (cancelled, or the pending login expired: `error` says so).
    void backToPasswordStep(const QString& error);
    void signedIn(Session session);
    void sessionUpdated();  // the held session was re-issued (password changed): route it again
    void sessionReissued(); // re-issued in place (TOTP confirmed): refresh what shows it
    // The held session's info was refreshed from core (e.g. after a factor was removed): Home
    // shows it, and a session that became restricted goes where its gate allows.
    void refreshGate();
    // The enrollment wizard; a restricted session (EnrollSecondFactor) can reach nothing else.
    void openWizard(EnrollModel::Origin origin, EnrollModel::Step first);
    void leaveWizard(EnrollModel::Origin origin);
    Q_INVOKABLE void showHome();     // refused while the session is restricted
    Q_INVOKABLE void showSecurity(); // My security; refused while restricted
    Q_INVOKABLE void showRoles();    // Roles; refused while restricted (and by core without roles.assign)
    Q_INVOKABLE void showAudit();    // the audit log; refused while restricted
    Q_INVOKABLE void showPeople();   // People; refused while restricted (and by core without users.read)
    // Which of People and Roles this session may open: one question to core for both.
    Q_INVOKABLE void checkAvailable();
    // Change password by choice (My security), not because the password is temporary.
    Q_INVOKABLE void showChangePassword();
    // Ends the session, back to the login screen.
    Q_INVOKABLE void signOut(const QString& reason = {});
    Q_INVOKABLE void showSessions(); // Active sessions; refused while restricted
    // The core says the held session is over (revoked elsewhere, idle, absolute lifetime): lock
    // to the login screen with the reason (SES-05).
    void sessionEnded(const Error& why);
    // The account's roles changed (PermissionsChanged): refresh what the screens show of them.
    void permissionsChanged();

    // Runs `work` (on the worker thread, gets the client) and then `done(result)` on the GUI
    // thread, with the app marked busy meanwhile. Results travel in a shared_ptr because
    // Result<Session> is move-only.
    template <class Work, class Done> void run(Work work, Done done);
    // The same without marking the app busy: checks nobody waits for (session checks, the
    // security-key list).
    template <class Work, class Done> void runQuietly(Work work, Done done);

    // A single worker thread for the whole process (never expiring), so calls to the service are
    // serialised even across controllers (tests create several).
    static QThreadPool& workerPool();
    // How many jobs for the service run() and runQuietly() have started (tests: "no call made").
    int serviceCalls() const { return m_serviceCalls; }

Q_SIGNALS:
    void screenChanged();
    void busyChanged();
    void keyringPromptChanged();
    void vaultChanged();
    void startErrorChanged();
    void sessionChanged();
    void lockChanged();
    void idleLockSecsChanged();
    void closeChoiceChanged();
    // The unlock was refused: the lock screen clears the code, and the password when it was wrong.
    void unlockFailed(bool passwordWrong);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private Q_SLOTS:
    void screenSaverActiveChanged(bool active);

private:
    template <class Work, class Done> void runOnWorker(Work work, Done done, bool busy);
    void serviceLost();
    void lockScreens();
    void openVault();
    void setVaultState(bool open, bool opening, const QString& error, int errorLayer = 0);
    void setSession(std::shared_ptr<Session> session);
    void setLocked(bool locked);
    void rearmIdleLock();
    void route(); // the screen the session's gate allows (change password, enroll, home)

    QString m_vaultPath;
    std::unique_ptr<Client> m_client;
    std::shared_ptr<Session> m_session;
    Screen m_screen = Starting;
    int m_busy = 0;
    int m_serviceCalls = 0;
    QString m_startError;
    KeySource m_keySource = KeySource::Keychain; // of the vault at m_vaultPath, once known
    bool m_vaultOpen = false;
    bool m_vaultOpening = false;
    QString m_vaultError;
    int m_vaultErrorLayer = 0;
    QString m_keyLocation;
    bool m_locked = false;
    bool m_lockNeedsCode = false;
    QString m_lockError;
    int m_idleLockSecs = kDefaultIdleLockSecs;
    QTimer m_idleLock;   // single-shot, restarted by input while signed in
    QTimer m_promptPoll; // while busy or opening: is the keyring's prompt open?
    bool m_keyringPrompt = false;
    QStringList m_promptsBefore; // the keyring's prompts when the wait began
    void followKeyringPrompt();  // starts or stops m_promptPoll
    void askKeyringPrompts(bool baseline);

    FirstRunModel* m_firstRun;
    UnlockModel* m_unlock;
    LoginModel* m_login;
    ChangePasswordModel* m_changePassword;
    HomeModel* m_home;
    SecondFactorModel* m_secondFactor;
    EnrollModel* m_enroll;
    SecurityModel* m_security;
    RolesModel* m_roles;
    PeopleModel* m_people;
    SecurityKeyModel* m_securityKey = nullptr;
    AuditModel* m_audit;
    HealthModel* m_health;
    SessionsModel* m_sessions;
    SessionWatcher* m_watcher;
    StepUpModel* m_stepUp;
    AgentModel* m_agent;

    // The one worker thread every call to the service runs on (see workerPool()).
    QThreadPool& m_pool;
};

template <class Work, class Done> void AppController::run(Work work, Done done) {
    runOnWorker(std::move(work), std::move(done), true);
}

template <class Work, class Done> void AppController::runQuietly(Work work, Done done) {
    runOnWorker(std::move(work), std::move(done), false);
}

template <class Work, class Done> void AppController::runOnWorker(Work work, Done done, bool busy) {
    using R = std::invoke_result_t<Work, Client&>;
    auto* watcher = new QFutureWatcher<std::shared_ptr<R>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, busy, done = std::move(done)]() mutable {
        std::shared_ptr<R> result = watcher->result();
        watcher->deleteLater();
        if (busy && --m_busy == 0)
            Q_EMIT busyChanged();
        done(std::move(*result));
    });
    if (busy && m_busy++ == 0)
        Q_EMIT busyChanged();
    ++m_serviceCalls;
    Client* client = m_client.get();
    watcher->setFuture(QtConcurrent::run(
        &m_pool, [client, work = std::move(work)]() mutable { return std::make_shared<R>(work(*client)); }));
}

} // namespace gh::ui
