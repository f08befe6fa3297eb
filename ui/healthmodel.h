// Home's per-layer health summary (L1–L4), from Client::layerHealth(): one line per layer and
// its warnings, each warning with the screen that fixes it when that screen exists.
#pragma once

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class HealthModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.health")
    // [{layer (1…4), layerName ("L1"), layerTitle, warning, text, screen, linkText}]; linkText is
    // empty when no screen of this build fixes it.
    Q_PROPERTY(QVariantList notes READ notes NOTIFY changed)
    // One chip per layer for Home: [{layer, layerName, layerTitle, brief ("encrypted", "1/2 MFA"…),
    // summary (the full line), warnings (count)}]
    Q_PROPERTY(QVariantList layers READ layers NOTIFY changed)
    Q_PROPERTY(QVariantList warningNotes READ warningNotes NOTIFY changed) // the notes that warn
    Q_PROPERTY(int warnings READ warnings NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)

public:
    explicit HealthModel(AppController* app);

    QVariantList notes() const { return m_notes; }
    QVariantList layers() const { return m_layers; }
    QVariantList warningNotes() const;
    int warnings() const { return m_warnings; }
    bool loading() const { return m_loading; }

    Q_INVOKABLE void load();
    Q_INVOKABLE void open(const QString& screen);
    void unload();

    QString linkTextFor(const QString& screen) const; // empty: no such screen, or not permitted

Q_SIGNALS:
    void changed();

private:
    void refreshLinks(); // linkText again (Roles availability arrived)
    AppController* m_app;
    QVariantList m_notes;
    QVariantList m_layers;
    int m_warnings = 0;
    bool m_loading = false;
};

} // namespace gh::ui
