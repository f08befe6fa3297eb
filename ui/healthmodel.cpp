#include "healthmodel.h"

#include "factortext.h"

#include "appcontroller.h"
#include "peoplemodel.h"
#include "rolesmodel.h"

namespace gh::ui {

HealthModel::HealthModel(AppController* app) : QObject(app), m_app(app) {}

QString HealthModel::linkTextFor(const QString& screen) const {
    if (screen == QLatin1String("security"))
        return tr("My security ›");
    if (screen == QLatin1String("audit"))
        return tr("Audit log ›");
    if (screen == QLatin1String("sessions")) // every account may see its own sessions
        return tr("Active sessions ›");
    if (screen == QLatin1String("roles") && m_app->roles()->available()) // RolesAssign (AC-01: core checks too)
        return tr("Roles ›");
    if (screen == QLatin1String("users") && m_app->people()->available()) // users.read (core checks too)
        return tr("People ›");
    return {};
}

QVariantList HealthModel::warningNotes() const {
    QVariantList out;
    for (const QVariant& note : m_notes)
        if (note.toMap().value(QStringLiteral("warning")).toBool())
            out << note;
    return out;
}

void HealthModel::load() {
    // The Roles link depends on RolesAssign, which Home asks for at the same time.
    connect(m_app->roles(), &RolesModel::availableChanged, this, &HealthModel::refreshLinks, Qt::UniqueConnection);
    connect(m_app->people(), &PeopleModel::availableChanged, this, &HealthModel::refreshLinks, Qt::UniqueConnection);
    if (m_loading)
        return;
    m_loading = true;
    Q_EMIT changed();
    m_app->run([](Client& gh) { return gh.layerHealth(); },
               [this](Result<LayerHealth> health) {
                   m_loading = false;
                   m_notes.clear();
                   m_layers.clear();
                   m_warnings = 0;
                   if (health) {
                       const LayerHealth& h = *health;
                       // The chip names the worst state of its layer (issue 13 item 7): a broken chain under
                       // L1; an attack, locked and throttled accounts under L2.
                       const QString briefs[] = {
                           !h.vaultEncrypted         ? tr("NOT encrypted")
                           : !h.auditChainIntact     ? tr("chain broken")
                           : !h.ownerOnlyPermissions ? tr("file readable")
                                                     : tr("encrypted"),
                           h.attackInProgress        ? tr("attack")
                           : h.lockedAccounts > 0    ? tr("%n locked", nullptr, h.lockedAccounts)
                           : h.throttledAccounts > 0 ? tr("%n throttled", nullptr, h.throttledAccounts)
                                                     : tr("%1/%2 MFA").arg(h.accountsWithMfa).arg(h.accounts),
                           tr("%n session(s)", nullptr, h.activeSessions),
                           tr("%n admin(s)", nullptr, h.admins),
                       };
                       for (int layer = 1; layer <= 4; ++layer) {
                           QString summary;
                           int warnings = 0;
                           for (const HealthNote& n : h.notes) {
                               if (static_cast<int>(n.layer) != layer)
                                   continue;
                               if (n.warning)
                                   ++warnings;
                               else
                                   summary = n.text;
                           }
                           m_layers << QVariantMap{
                               {QStringLiteral("layer"), layer},
                               {QStringLiteral("layerName"), layerName(static_cast<Layer>(layer))},
                               {QStringLiteral("layerTitle"), factortext::layerPlainName(static_cast<Layer>(layer))},
                               {QStringLiteral("brief"), briefs[layer - 1]},
                               {QStringLiteral("summary"), summary},
                               {QStringLiteral("warnings"), warnings}};
                       }
                       for (const HealthNote& n : health->notes) {
                           m_notes << QVariantMap{
                               {QStringLiteral("layer"), static_cast<int>(n.layer)},
                               {QStringLiteral("layerName"), layerName(n.layer)},
                               {QStringLiteral("layerTitle"), factortext::layerPlainName(n.layer)},
                               {QStringLiteral("warning"), n.warning},
                               {QStringLiteral("text"), n.text},
                               {QStringLiteral("screen"), n.screen},
                               {QStringLiteral("linkText"), n.warning ? linkTextFor(n.screen) : QString()}};
                           m_warnings += n.warning ? 1 : 0;
                       }
                   } else {
                       // The failure's own layer (an unreadable vault is L1), never a badge without one.
                       const Layer failed = layerOf(health.code());
                       m_notes << QVariantMap{{QStringLiteral("layer"), static_cast<int>(failed)},
                                              {QStringLiteral("layerName"), layerName(failed)},
                                              {QStringLiteral("layerTitle"), factortext::layerPlainName(failed)},
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
    m_layers.clear();
    m_warnings = 0;
    Q_EMIT changed();
}

void HealthModel::refreshLinks() {
    for (QVariant& note : m_notes) {
        QVariantMap map = note.toMap();
        map.insert(QStringLiteral("linkText"), map.value(QStringLiteral("warning")).toBool()
                                                   ? linkTextFor(map.value(QStringLiteral("screen")).toString())
                                                   : QString());
        note = map;
    }
    Q_EMIT changed();
}

void HealthModel::open(const QString& screen) {
    if (screen == QLatin1String("security"))
        m_app->showSecurity();
    else if (screen == QLatin1String("audit"))
        m_app->showAudit();
    else if (screen == QLatin1String("sessions"))
        m_app->showSessions();
    else if (screen == QLatin1String("roles") && m_app->roles()->available())
        m_app->showRoles();
    else if (screen == QLatin1String("users") && m_app->people()->available())
        m_app->showPeople();
}

} // namespace gh::ui
