#include "appcontroller.h"

#include "vault/keychainwait.h"

#include "sessionfacts.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QEvent>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>

namespace gh::ui {

QString AppController::version() {
    return QStringLiteral(GATEHOUSE_VERSION);
}

QString AppController::qtVersion() {
    return QString::fromLatin1(qVersion());
}

namespace {
AppController::Options& pendingOptions() {
    static AppController::Options options;
    return options;
}
Q_GLOBAL_STATIC(QThreadPool, s_workerPool)
} // namespace

QThreadPool& AppController::workerPool() {
    static const bool configured = [] {
        s_workerPool()->setMaxThreadCount(1);
        s_workerPool()->setExpiryTimeout(-1);
        return true;
    }();
    Q_UNUSED(configured);
    return *s_workerPool();
}

void AppController::setOptions(Options options) {
    pendingOptions() = std::move(options);
}

AppController* AppController::create(QQmlEngine*, QJSEngine*) {
    // No parent: the engine owns the singleton and deletes it with itself.
    return new AppController(pendingOptions());
}

AppController::AppController(Options options, QObject* parent)
    : QObject(parent), m_vaultPath(options.vaultPath.isEmpty() ? Client::defaultVaultPath()
                                                               : QFileInfo(options.vaultPath).absoluteFilePath()),
      m_client(std::make_unique<Client>()), m_pool(workerPool()) {
    m_firstRun = new FirstRunModel(this);
    m_unlock = new UnlockModel(this);
    m_login = new LoginModel(this);
    m_changePassword = new ChangePasswordModel(this);
    m_home = new HomeModel(this);
    m_securityKey = new SecurityKeyModel(this); // before the models that use it
    m_secondFactor = new SecondFactorModel(this);
    m_enroll = new EnrollModel(this);
    m_security = new SecurityModel(this);
    m_roles = new RolesModel(this);
    m_people = new PeopleModel(this);
    m_audit = new AuditModel(this);
    m_health = new HealthModel(this);
    m_sessions = new SessionsModel(this);
    m_watcher = new SessionWatcher(this);
    m_stepUp = new StepUpModel(this);
    m_agent = new AgentModel(this);
    connect(m_client.get(), &Client::serviceLost, this, &AppController::serviceLost);
    // The keyring's own prompt (first use: "choose a password for the new keyring"): a prompt the
    // Secret Service made since the window began to wait (keychainwait.h), asked without blocking
    // once a second while the window waits on the service.
    m_promptPoll.setInterval(1000);
    connect(&m_promptPoll, &QTimer::timeout, this, [this] { askKeyringPrompts(false); });
    connect(this, &AppController::busyChanged, this, &AppController::followKeyringPrompt);
    connect(this, &AppController::vaultChanged, this, &AppController::followKeyringPrompt);
    // Idle lock: input while signed in restarts one single-shot timer (eventFilter).
    m_idleLockSecs = QSettings().value(QString::fromLatin1(kIdleLockKey), kDefaultIdleLockSecs).toInt();
    m_idleLock.setSingleShot(true);
    connect(&m_idleLock, &QTimer::timeout, this, &AppController::lock);
    QCoreApplication::instance()->installEventFilter(this);
    // The desktop's screen lock locks the window too (org.freedesktop.ScreenSaver.ActiveChanged,
    // which GNOME, KDE and others emit on the session bus). Any sender may ask: locking is safe.
    for (const char* iface : {"org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"}) {
        const QString name = QString::fromLatin1(iface);
        QDBusConnection::sessionBus().connect({}, {}, name, QStringLiteral("ActiveChanged"), this,
                                              SLOT(screenSaverActiveChanged(bool)));
    }
    // The first question to the service, on the worker while the window is still being built (a
    // queued answer: the screen changes once the event loop runs, before the first frame if the
    // answer is there by then).
    retryStart();
}

AppController::~AppController() {
    m_pool.waitForDone();
    // The session secret dies with the process anyway; ending it also closes its record.
    if (m_session)
        (void)m_client->logout(*m_session);
}

void AppController::retryStart() {
    if (m_screen != Starting || busy())
        return;
    m_startError.clear();
    Q_EMIT startErrorChanged();
    struct Probe {
        Status reached;
        bool exists = false;
        KeySource source = KeySource::Keychain;
    };
    // The first call finds the service (in session mode it starts gatehoused and waits for it).
    run(
        [path = m_vaultPath](Client& c) {
            Probe p{c.ensureService()};
            if (p.reached) {
                p.exists = c.vaultExists(path);
                p.source = p.exists ? c.keySourceOf(path) : KeySource::Keychain;
            }
            return p;
        },
        [this](Probe probe) {
            if (!probe.reached) {
                m_startError = describe(probe.reached.error());
                Q_EMIT startErrorChanged();
                return;
            }
            m_keySource = probe.source;
            if (!probe.exists) {
                setScreen(FirstRun);
                m_firstRun->probeKeychain();
            } else if (probe.source == KeySource::Passphrase) {
                setScreen(Unlock); // waits for the passphrase
            } else {
                openVault();
                setScreen(Login);
            }
        });
}

void AppController::retryOpen() {
    if (!m_vaultOpen && !m_vaultOpening && m_screen == Login)
        openVault();
}

void AppController::setScreen(Screen screen) {
    if (m_screen == screen)
        return;
    m_screen = screen;
    Q_EMIT screenChanged();
}

void AppController::askKeyringPrompts(bool baseline) {
    auto* watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(keyringPromptQuery(), 900), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, baseline] {
        watcher->deleteLater();
        if (!m_promptPoll.isActive())
            return; // the wait is over
        const QStringList prompts = keyringPromptsIn(watcher->reply());
        if (baseline) {
            m_promptsBefore = prompts;
            return;
        }
        const bool open = newKeyringPrompt(m_promptsBefore, prompts);
        if (open != m_keyringPrompt) {
            m_keyringPrompt = open;
            Q_EMIT keyringPromptChanged();
        }
    });
}

void AppController::followKeyringPrompt() {
    if (busy() || m_vaultOpening) {
        if (!m_promptPoll.isActive()) {
            m_promptPoll.start();
            askKeyringPrompts(true); // the prompts made before this wait
        }
        return;
    }
    m_promptPoll.stop();
    if (m_keyringPrompt) {
        m_keyringPrompt = false;
        Q_EMIT keyringPromptChanged();
    }
}

void AppController::setVaultState(bool open, bool opening, const QString& error, int errorLayer) {
    m_vaultOpen = open;
    m_vaultOpening = opening;
    m_vaultError = error;
    m_vaultErrorLayer = error.isEmpty() ? 0 : errorLayer;
    Q_EMIT vaultChanged();
}

AppController::OpenOutcome AppController::openOn(Client& gh, const QString& path, const SecureBuffer* passphrase) {
    Status status = gh.openVault(path, passphrase);
    if (!status)
        return {status, false, KeySource::Keychain, {}};
    return {status, gh.needsFirstAdmin(), gh.keySource(), gh.keyLocation()};
}

void AppController::openVault() {
    setVaultState(false, true, {});
    // gatehoused reads the key from its store (the Secret Service in session mode) and checks the
    // vault: a D-Bus call that may take a while, so on the worker like every other.
    run([path = m_vaultPath](Client& gh) { return openOn(gh, path, nullptr); },
        [this](OpenOutcome outcome) {
            if (!outcome.status) {
                setVaultState(false, false, describe(outcome.status.error()),
                              static_cast<int>(layerOf(outcome.status.code())));
                return;
            }
            vaultOpenedWith(outcome);
        });
}

void AppController::vaultOpenedWith(const OpenOutcome& outcome) {
    m_keySource = outcome.source;
    setVaultOpen(outcome.keyLocation);
    if (outcome.needsFirstAdmin) {
        m_firstRun->setVaultReady(outcome.source);
        setScreen(FirstRun);
    } else if (m_screen == Unlock || m_screen == FirstRun) {
        setScreen(Login);
    }
}

void AppController::setVaultOpen(const QString& keyLocation) {
    m_keyLocation = keyLocation;
    setVaultState(true, false, {});
    m_agent->start(); // other applications' sign-in requests come to this window
}

void AppController::firstAdminCreated(const QString& username) {
    m_login->setUsername(username);
    m_login->setNotice(tr("Administrator “%1” created. Sign in to continue.").arg(username));
    setScreen(Login);
}

void AppController::setupSignedIn(Session session) {
    m_session = std::make_shared<Session>(std::move(session));
    m_login->reset();
    m_login->setUsername(m_session->info.username);
    m_watcher->start();
    m_home->load();
    openWizard(EnrollModel::Origin::Setup, EnrollModel::Choose);
}

void AppController::beginSecondStep(const QString& username, const QString& pendingId,
                                    const QList<FactorKind>& offered) {
    m_login->reset();
    m_secondFactor->start(username, pendingId, offered);
    setScreen(SecondFactor);
}

void AppController::beginKeyStep(const QString& username, const QString& pendingId) {
    m_login->reset();
    m_secondFactor->startPasswordless(username, pendingId);
    setScreen(SecondFactor);
}

void AppController::backToPasswordStep(const QString& error) {
    m_secondFactor->clear();
    m_login->reset();
    m_login->setError(error);
    setScreen(Login);
}

void AppController::setSession(std::shared_ptr<Session> session) {
    const bool changed = (m_session == nullptr) != (session == nullptr);
    m_session = std::move(session);
    if (!m_session)
        setLocked(false);
    rearmIdleLock();
    if (changed)
        Q_EMIT sessionChanged();
}

bool AppController::inShell() const {
    switch (m_screen) {
    case Home:
    case Security:
    case Roles:
    case Audit:
    case Sessions:
    case People:
        return true;
    default:
        return false;
    }
}

void AppController::setIdleLockSecs(int secs) {
    secs = std::max(0, secs);
    if (secs == m_idleLockSecs)
        return;
    m_idleLockSecs = secs;
    QSettings().setValue(QString::fromLatin1(kIdleLockKey), secs);
    rearmIdleLock();
    Q_EMIT idleLockSecsChanged();
}

QString AppController::closeChoice() const {
    const QString choice = QSettings().value(QString::fromLatin1(kCloseChoiceKey)).toString();
    return choice == QLatin1String("signOut") || choice == QLatin1String("lock") ? choice : QString();
}

void AppController::setCloseChoice(const QString& choice) {
    if (choice == closeChoice())
        return;
    if (choice.isEmpty())
        QSettings().remove(QString::fromLatin1(kCloseChoiceKey));
    else
        QSettings().setValue(QString::fromLatin1(kCloseChoiceKey), choice);
    Q_EMIT closeChoiceChanged();
}

void AppController::rearmIdleLock() {
    if (m_session && !m_locked && m_idleLockSecs > 0)
        m_idleLock.start(m_idleLockSecs * 1000);
    else
        m_idleLock.stop();
}

bool AppController::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        if (m_idleLock.isActive())
            m_idleLock.start(); // the same interval again
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void AppController::screenSaverActiveChanged(bool active) {
    if (active)
        lock();
}

void AppController::setLocked(bool locked) {
    if (!locked)
        m_lockError.clear();
    if (m_locked == locked)
        return Q_EMIT lockChanged();
    m_locked = locked;
    rearmIdleLock();
    Q_EMIT lockChanged();
}

void AppController::lock() {
    if (!m_session || m_locked)
        return;
    // Nothing of the session stays on screen: the step-up dialog closes (its action is dropped)
    // and the window shows only the lock screen (Main.qml unloads the current screen).
    m_stepUp->cancel();
    m_lockNeedsCode = aalOf(m_session->info) >= Aal::Aal2;
    m_lockError.clear();
    setLocked(true);
}

void AppController::unlockWith(SecretInput* password, SecretInput* code) {
    QString passwordText = password ? password->secretString() : QString();
    QString codeText = code ? code->secretString() : QString();
    unlockWith(passwordText, codeText);
    wipe(passwordText);
    wipe(codeText);
}

void AppController::unlockWith(const QString& password, const QString& code) {
    auto session = m_session;
    if (!session || !m_locked || password.isEmpty())
        return;
    // The core decides (a step-up: the password, and the second factor when the session had one;
    // it throttles and audits the attempts); the window only shows the answer.
    StepUpModel::reauthenticate(this, session, password, code, [this, session](Result<Session> renewed) {
        if (session != m_session || !m_locked)
            return; // signed out meanwhile
        if (!renewed) {
            if (renewed.code() == Errc::SessionInvalid)
                return sessionEnded(renewed.error());
            m_lockError = describe(renewed.error());
            if (renewed.code() == Errc::SecondFactorRequired)
                m_lockNeedsCode = true;
            Q_EMIT lockChanged();
            Q_EMIT unlockFailed(!StepUpModel::isCodeProblem(renewed.code()));
            return;
        }
        replaceSession(session, std::move(renewed).value());
        sessionReissued();
        setLocked(false);
    });
}

void AppController::signedIn(Session session) {
    setSession(std::make_shared<Session>(std::move(session)));
    m_login->reset();
    m_secondFactor->clear();
    m_watcher->start();
    route();
}

void AppController::replaceSession(const std::shared_ptr<Session>& old, Session renewed) {
    if (m_session != old || !old)
        return;
    *m_session = std::move(renewed);
    m_watcher->sessionReplaced();
}

void AppController::route() {
    if (!m_session)
        return setScreen(Login);
    switch (gateOf(m_session->info)) {
    case SessionGate::ChangePassword:
        m_changePassword->load();
        setScreen(ChangePassword);
        break;
    case SessionGate::EnrollSecondFactor:
        m_home->load();
        openWizard(EnrollModel::Origin::Login, EnrollModel::Choose);
        break;
    case SessionGate::Open:
        m_home->load();
        checkAvailable(); // which of People and Roles the sidebar offers
        setScreen(Home);
        break;
    }
}

void AppController::sessionUpdated() {
    route();
}

void AppController::refreshGate() {
    if (!m_session)
        return;
    m_home->load();
    if (gateOf(m_session->info) != SessionGate::Open)
        route();
}

void AppController::sessionReissued() {
    m_home->load();
    if (m_screen == Security)
        m_security->load();
}

void AppController::openWizard(EnrollModel::Origin origin, EnrollModel::Step first) {
    if (!m_session)
        return;
    m_enroll->open(origin, first);
    setScreen(Enroll);
}

void AppController::leaveWizard(EnrollModel::Origin origin) {
    auto session = m_session;
    if (!session)
        return setScreen(Login);
    // The gate may have changed without a re-issue (e.g. recovery codes added): ask the core.
    run([session](Client& gh) { return gh.validate(*session); },
        [this, session, origin](Result<SessionInfo> info) {
            if (session != m_session)
                return; // signed out meanwhile
            if (!info)
                return signOut(describe(info.error()));
            session->info = std::move(info).value();
            m_home->load();
            const SessionGate gate = gateOf(session->info);
            if (gate == SessionGate::Open && origin == EnrollModel::Origin::Security)
                return showSecurity();
            route();
            if (gate == SessionGate::EnrollSecondFactor)
                m_enroll->setNotice(tr("This session is still limited to adding a second factor. Set up an "
                                       "authenticator app, or sign out and sign in again with your new factor."));
        });
}

void AppController::showHome() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    m_home->load();
    setScreen(Home);
}

void AppController::showSecurity() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    if (m_screen != Security && m_screen != Enroll)
        m_security->clearMessages();
    m_security->load();
    setScreen(Security);
}

void AppController::showRoles() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    m_roles->load();
    setScreen(Roles);
}

void AppController::showPeople() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    if (m_screen != People)
        m_people->load();
    setScreen(People);
}

void AppController::showChangePassword() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    m_changePassword->load(true);
    setScreen(ChangePassword);
}

void AppController::showAudit() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    if (m_screen != Audit)
        m_audit->load();
    setScreen(Audit);
}

void AppController::showSessions() {
    if (!m_session || gateOf(m_session->info) != SessionGate::Open)
        return;
    m_sessions->load();
    setScreen(Sessions);
}

void AppController::sessionEnded(const Error& why) {
    signOut(describe(why));
}

void AppController::checkAvailable() {
    auto session = m_session;
    if (!session) {
        m_roles->applyPermissions(Error{Errc::SessionInvalid, {}, 0});
        m_people->applyPermissions(Error{Errc::SessionInvalid, {}, 0});
        return;
    }
    run([session](Client& gh) { return gh.permissionsOf(*session); },
        [this](Result<QStringList> held) {
            m_roles->applyPermissions(held);
            m_people->applyPermissions(held);
        });
}

void AppController::permissionsChanged() {
    auto session = m_session;
    if (!session)
        return;
    // The session's role and what the screens offer; the core checks every call anyway.
    runQuietly([session](Client& gh) { return gh.validate(*session); },
               [this, session](Result<SessionInfo> info) {
                   if (session != m_session)
                       return;
                   if (!info) {
                       if (info.code() == Errc::SessionInvalid)
                           sessionEnded(info.error());
                       return;
                   }
                   session->info = std::move(info).value();
                   m_home->load();
                   checkAvailable();
                   switch (m_screen) {
                   case Roles:
                       m_roles->load();
                       break;
                   case People:
                       m_people->load();
                       break;
                   case Audit:
                       m_audit->load();
                       break;
                   case Sessions:
                       m_sessions->load();
                       break;
                   case Security:
                       m_security->load();
                       break;
                   default:
                       break;
                   }
               });
}

// Closes what a session shows (the session itself is gone or being ended).
void AppController::lockScreens() {
    setLocked(false);
    m_watcher->stop();
    m_stepUp->cancel();
    m_sessions->unload();
    m_home->unload();
    m_roles->unload();
    m_people->unload();
    m_audit->unload();
    m_health->unload();
    m_enroll->clear();
    m_security->unload();
    m_secondFactor->clear();
}

void AppController::signOut(const QString& reason) {
    lockScreens();
    m_login->setNotice(reason.isEmpty() ? tr("You have signed out.") : reason);
    setScreen(Login);
    if (!m_session)
        return;
    // The screen changes at once; the session record is closed in the background.
    auto ending = m_session;
    setSession(nullptr);
    run([session = std::move(ending)](Client& gh) { return gh.logout(*session); },
        [](const Status& status) {
            if (!status && status.code() != Errc::SessionInvalid) // else: it had ended already
                qWarning("gatehouse: sign-out: %s", qPrintable(describe(status.error())));
        });
}

void AppController::serviceLost() {
    // Still asking whether the vault exists: that answer (or its error) decides the screen.
    if (m_screen == Starting)
        return;
    // A restart ends every session and pending sign-in (secrets are never persisted) and closes
    // the vault: nothing to sign out from, and the vault must be opened again. Nothing open yet
    // (first run before the vault exists, unlock before the passphrase): the next call finds the
    // new service by itself.
    const bool signedIn = m_session || m_screen == SecondFactor;
    if (!signedIn && !m_vaultOpen)
        return;
    const QString notice =
        signedIn ? tr("The Gatehouse service restarted, so every session ended. Sign in again.") : QString();
    lockScreens();
    setSession(nullptr);
    m_login->reset();
    m_unlock->setNotice({});
    setVaultState(false, false, {});
    if (m_screen == FirstRun) {
        openVault(); // the vault exists, its administrator not yet: stay and reopen
    } else if (m_keySource == KeySource::Passphrase) {
        m_unlock->setNotice(notice); // only its passphrase reopens it
        setScreen(Unlock);
    } else {
        m_login->setNotice(notice);
        setScreen(Login);
        openVault();
    }
}

} // namespace gh::ui
