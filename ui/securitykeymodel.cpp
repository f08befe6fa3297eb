#include "securitykeymodel.h"

#include "appcontroller.h"

#include <QVariantMap>

namespace gh::ui {

namespace {
constexpr int kPollMs = 500; // "live detection": a key plugged in shows within half a second
} // namespace

SecurityKeyModel::SecurityKeyModel(AppController* app) : QObject(app), m_app(app) {
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &SecurityKeyModel::refresh);
    connect(app, &AppController::busyChanged, this, &SecurityKeyModel::stateChanged);
}

SecurityKeyModel::~SecurityKeyModel() = default;

QVariantList SecurityKeyModel::devices() const {
    QVariantList out;
    for (const Fido2DeviceInfo& d : m_devices) {
        QString title = QStringLiteral("%1 %2").arg(d.manufacturer, d.product).trimmed();
        if (title.isEmpty())
            title = tr("Security key");
        out << QVariantMap{{QStringLiteral("path"), d.path}, {QStringLiteral("title"), title}};
    }
    return out;
}

void SecurityKeyModel::setSelected(int index) {
    if (index == m_selected || index < 0 || index >= deviceCount())
        return;
    m_selected = index;
    Q_EMIT devicesChanged();
}

bool SecurityKeyModel::canStart() const {
    return !m_waiting && !m_app->busy() && deviceCount() > 0 && (!m_needsPin || !m_pin.isEmpty()) &&
           (m_enrolling || !m_pendingId.isEmpty());
}

void SecurityKeyModel::setError(const QString& error) {
    m_error = error;
    Q_EMIT stateChanged();
}

void SecurityKeyModel::setPin(const QString& pin) {
    QString copy = pin;
    m_pin = SecureBuffer::fromUtf8(copy);
    wipe(copy);
    Q_EMIT stateChanged();
}

void SecurityKeyModel::refresh() {
    if (m_waiting || m_listing)
        return; // the worker is talking to the key (the list cannot change meaningfully now), or asking
    m_listing = true;
    // gatehoused lists the hidraw devices: a D-Bus call, on the worker without marking the app busy.
    m_app->runQuietly([](Client& gh) { return gh.securityKeys(); },
                      [this](QList<Fido2DeviceInfo> now) {
                          m_listing = false;
                          if (!m_poll.isActive() || m_waiting)
                              return; // the step closed meanwhile, or a key operation began
                          setDevices(now);
                      });
}

void SecurityKeyModel::setDevices(const QList<Fido2DeviceInfo>& now) {
    bool same = now.size() == m_devices.size();
    for (qsizetype i = 0; same && i < now.size(); ++i)
        same = now[i].path == m_devices[i].path;
    if (same)
        return;
    const QString previous = m_selected < deviceCount() ? m_devices[m_selected].path : QString();
    m_devices = now;
    m_selected = 0;
    for (qsizetype i = 0; i < m_devices.size(); ++i)
        if (m_devices[i].path == previous)
            m_selected = static_cast<int>(i);
    Q_EMIT devicesChanged();
    Q_EMIT stateChanged();
}

void SecurityKeyModel::startPolling() {
    m_poll.start();
    refresh();
}

void SecurityKeyModel::beginEnroll() {
    stop();
    m_enrolling = true;
    m_relyingParty.clear();
    m_app->run([](Client& gh) { return gh.relyingPartyId(); },
               [this](Result<QString> rp) {
                   m_relyingParty = rp ? *rp : QString();
                   Q_EMIT relyingPartyChanged();
               });
    Q_EMIT purposeChanged();
    startPolling();
}

void SecurityKeyModel::beginLogin(const QString& pendingId) {
    stop();
    m_enrolling = false;
    m_pendingId = pendingId;
    Q_EMIT purposeChanged();
    startPolling();
}

void SecurityKeyModel::stop() {
    m_poll.stop();
    m_pendingId.clear();
    m_needsPin = false;
    m_pin = SecureBuffer();
    m_error.clear();
    Q_EMIT stateChanged();
}

void SecurityKeyModel::cancel() {
    // On the GUI thread: the worker is blocked in the key operation; gatehoused answers a cancel
    // on its event loop while the operation waits for a touch.
    m_app->client().cancelSecurityKey();
}

void SecurityKeyModel::finished(const Error* error) {
    m_waiting = false;
    m_pin = SecureBuffer(); // a PIN is used for one attempt only
    if (error) {
        // The key told us it needs its PIN (or the PIN was wrong): show the field.
        if (error->code == Errc::KeyPinRequired || error->code == Errc::KeyPinWrong)
            m_needsPin = true;
        if (error->code == Errc::KeyPinBlocked)
            m_needsPin = false;
        m_error = describe(*error);
    }
    Q_EMIT stateChanged();
    if (error)
        Q_EMIT failed();
}

void SecurityKeyModel::start(const QString& name) {
    if (!canStart())
        return;
    const QString path = m_devices.value(m_selected).path;
    auto pin = std::make_shared<SecureBuffer>(m_pin.clone());
    const bool withPin = m_needsPin;
    m_waiting = true;
    m_error.clear();
    Q_EMIT stateChanged();
    if (m_enrolling) {
        auto session = m_app->session();
        if (!session)
            return finished(nullptr);
        auto working = AppController::copyOf(*session);
        m_app->run(
            [working, path, name, pin, withPin](Client& gh) {
                return gh.enrollSecurityKey(*working, path, name, withPin ? pin.get() : nullptr);
            },
            [this, session, working](Result<FactorInfo> result) {
                if (!result) {
                    if (result.code() == Errc::SessionInvalid) {
                        finished(nullptr);
                        m_app->signOut(describe(result.error()));
                        return;
                    }
                    finished(&result.error());
                    return;
                }
                m_app->replaceSession(session, std::move(*working));
                finished(nullptr);
                m_needsPin = false;
                stop();
                Q_EMIT enrolled(*result);
            });
        return;
    }
    m_app->run([pendingId = m_pendingId, path, pin, withPin](
                   Client& gh) { return gh.completeLoginWithKey(pendingId, path, withPin ? pin.get() : nullptr); },
               [this](Result<Session> result) {
                   if (result) {
                       finished(nullptr);
                       stop();
                       m_app->signedIn(std::move(result).value());
                       return;
                   }
                   if (result.code() == Errc::LoginExpired) {
                       finished(nullptr);
                       stop();
                       m_app->backToPasswordStep(describe(result.error()));
                       return;
                   }
                   finished(&result.error());
               });
}

void SecurityKeyModel::setPin(SecretInput* pin) {
    QString pinText = pin ? pin->secretString() : QString();
    setPin(pinText);
    wipe(pinText);
}

} // namespace gh::ui
