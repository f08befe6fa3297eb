#include "agentmodel.h"

#include "appcontroller.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

namespace gh::ui {

AgentAdaptor::AgentAdaptor(AgentModel* model) : QObject(model), m_model(model) {}

void AgentAdaptor::BeginSignIn(const QString& requestId, const QVariantMap& request) {
    m_model->begin(requestId, request);
}

void AgentAdaptor::CancelSignIn(const QString& requestId) {
    m_model->cancelled(requestId);
}

AgentModel::AgentModel(AppController* app) : QObject(app), m_app(app), m_adaptor(new AgentAdaptor(this)) {}

const AgentModel::Request& AgentModel::current() const {
    static const Request none;
    return m_queue.isEmpty() ? none : m_queue.constFirst();
}

void AgentModel::start() {
    AgentAdaptor* adaptor = m_adaptor;
    m_app->runQuietly([adaptor](Client& gh) { return gh.registerAgent(adaptor, QString::fromLatin1(kObjectPath)); },
                      [this](Status s) {
                          m_registered = s.ok();
                          if (!s)
                              qWarning("gatehouse: not the sign-in agent for other applications: %s",
                                       qPrintable(describe(s.error())));
                          Q_EMIT changed();
                      });
}

std::pair<QString, QString> AgentModel::desktopEntry(const QString& appId) {
    // Only a plain id names a file (no path tricks from the application's argument).
    for (QChar c : appId)
        if (!(c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-') || c == QLatin1Char('_')))
            return {};
    const QString path =
        QStandardPaths::locate(QStandardPaths::ApplicationsLocation, appId + QStringLiteral(".desktop"));
    QFile f(path);
    if (path.isEmpty() || !f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QString name, icon;
    bool inEntry = false;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine(4096)).trimmed();
        if (line.startsWith(QLatin1Char('[')))
            inEntry = line == QLatin1String("[Desktop Entry]");
        else if (inEntry && line.startsWith(QLatin1String("Name=")))
            name = line.mid(5).trimmed().left(80);
        else if (inEntry && line.startsWith(QLatin1String("Icon=")))
            icon = line.mid(5).trimmed();
    }
    QString iconUrl;
    if (QFileInfo(icon).isAbsolute()) {
        if (QFileInfo::exists(icon))
            iconUrl = QUrl::fromLocalFile(icon).toString();
    } else if (!icon.isEmpty() && !icon.contains(QLatin1Char('/'))) {
        QStringList candidates;
        for (const char* size : {"scalable", "256x256", "128x128", "96x96", "64x64", "48x48"})
            for (const char* ext : {"svg", "png"})
                candidates
                    << QStringLiteral("icons/hicolor/%1/apps/%2.%3").arg(QLatin1String(size), icon, QLatin1String(ext));
        candidates << QStringLiteral("pixmaps/%1.svg").arg(icon) << QStringLiteral("pixmaps/%1.png").arg(icon);
        for (const QString& c : candidates)
            if (const QString found = QStandardPaths::locate(QStandardPaths::GenericDataLocation, c);
                !found.isEmpty()) {
                iconUrl = QUrl::fromLocalFile(found).toString();
                break;
            }
    }
    return {name, iconUrl};
}

void AgentModel::begin(const QString& requestId, const QVariantMap& request) {
    Request r;
    r.id = requestId;
    r.appId = request.value(QStringLiteral("app_id")).toString();
    const auto [name, icon] = desktopEntry(r.appId);
    r.appName = name.isEmpty() ? r.appId : name;
    r.icon = icon;
    r.reason = request.value(QStringLiteral("reason")).toString();
    r.program = request.value(QStringLiteral("program")).toString();
    r.timeoutSecs = request.value(QStringLiteral("timeout_secs")).toInt();
    const QStringList names = request.value(QStringLiteral("permissions")).toStringList();
    const QStringList descriptions = request.value(QStringLiteral("descriptions")).toStringList();
    const QStringList twoFactor = request.value(QStringLiteral("two_factor")).toStringList();
    for (int i = 0; i < names.size(); ++i)
        r.permissions << QVariantMap{{QStringLiteral("name"), names.at(i)},
                                     {QStringLiteral("description"), descriptions.value(i)},
                                     {QStringLiteral("twoFactor"), twoFactor.contains(names.at(i))}};
    const bool first = m_queue.isEmpty();
    m_queue << r;
    Q_EMIT changed();
    if (first)
        Q_EMIT requested();
}

void AgentModel::cancelled(const QString& requestId) {
    if (m_queue.isEmpty())
        return;
    if (m_queue.constFirst().id == requestId) {
        next();
        return;
    }
    m_queue.removeIf([&](const Request& r) { return r.id == requestId; });
    Q_EMIT changed();
}

void AgentModel::next() {
    if (!m_queue.isEmpty())
        m_queue.removeFirst();
    m_error.clear();
    m_finished = false;
    m_answering = false;
    Q_EMIT changed();
    if (!m_queue.isEmpty())
        Q_EMIT requested();
}

void AgentModel::allow() {
    if (m_queue.isEmpty() || m_finished || m_answering)
        return;
    const auto held = m_app->session();
    if (!held) {
        m_error = tr("Sign in first: the application gets a sign-in of its own from yours.");
        Q_EMIT changed();
        return;
    }
    m_answering = true;
    const QString id = m_queue.constFirst().id;
    auto copy = AppController::copyOf(*held);
    m_app->run([copy, id](Client& gh) { return gh.agentResponse(id, *copy); },
               [this, id](Result<std::pair<bool, QString>> r) {
                   m_answering = false;
                   if (m_queue.isEmpty() || m_queue.constFirst().id != id)
                       return; // cancelled meanwhile
                   if (!r && r.code() == Errc::StepUpRequired) {
                       m_app->stepUp()->request([this] { allow(); },
                                                tr("Let %1 use your sign-in").arg(m_queue.constFirst().appName));
                       return;
                   }
                   if (r && r->first) {
                       next();
                       return;
                   }
                   m_error = r ? r->second : describe(r.error());
                   m_finished = true;
                   Q_EMIT changed();
               });
}

void AgentModel::answerCancel(bool denied) {
    if (m_queue.isEmpty())
        return;
    const QString id = m_queue.constFirst().id;
    if (!m_finished)
        m_app->runQuietly([id, denied](Client& gh) { return gh.agentCancelled(id, denied); }, [](Status) {});
    next();
}

void AgentModel::deny() {
    answerCancel(true);
}

void AgentModel::cancel() {
    answerCancel(false);
}

void AgentModel::dismiss() {
    next();
}

} // namespace gh::ui
