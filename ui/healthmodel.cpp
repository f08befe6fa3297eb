#include "healthmodel.h"

#include "appcontroller.h"

namespace gh::ui {

HealthModel::HealthModel(AppController* app) : QObject(app), m_app(app) {}

QString HealthModel::linkTextFor(const QString& screen) {
    if (screen == QLatin1String("security"))
        return tr("Open My security");
    if (screen == QLatin1String("audit"))
        return tr("Open the audit log");
    return {}; // users, sessions, roles: screens of later work
}

void HealthModel::load() {
    if (m_loading)
        return;
    m_loading = true;
    Q_EMIT changed();
    m_app->run([](Gatehouse& gh) { return gh.layerHealth(); },
               [this](Result<LayerHealth> health) {
                   m_loading = false;
                   m_notes.clear();
                   m_warnings = 0;
                   if (health) {
                       for (const HealthNote& n : health->notes) {
                           m_notes << QVariantMap{
                               {QStringLiteral("layer"), static_cast<int>(n.layer)},
                               {QStringLiteral("layerName"), layerName(n.layer)},
                               {QStringLiteral("layerTitle"), layerTitle(n.layer)},
                               {QStringLiteral("warning"), n.warning},
                               {QStringLiteral("text"), n.text},
                               {QStringLiteral("screen"), n.screen},
                               {QStringLiteral("linkText"), n.warning ? linkTextFor(n.screen) : QString()}};
                           m_warnings += n.warning ? 1 : 0;
                       }
                   } else {
                       m_notes << QVariantMap{{QStringLiteral("layer"), 0},
                                              {QStringLiteral("layerName"), QStringLiteral("-")},
                                              {QStringLiteral("layerTitle"), QString()},
                                              {QStringLiteral("warning"), true},
                                              {QStringLiteral("text"), describe(health.error())},
                                              {QStringLiteral("screen"), QString()},
                                              {QStringLiteral("linkText"), QString()}};
                       m_warnings = 1;
                   }
                   Q_EMIT changed();
               });
}

void HealthModel::unload() {
    m_notes.clear();
    m_warnings = 0;
    Q_EMIT changed();
}

void HealthModel::open(const QString& screen) {
    if (screen == QLatin1String("security"))
        m_app->showSecurity();
    else if (screen == QLatin1String("audit"))
        m_app->showAudit();
}

} // namespace gh::ui
