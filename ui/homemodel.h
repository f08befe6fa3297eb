// Home (DESIGN.md GUI screen 4, first cut): who is signed in, with which role, when the session
// was issued and when it expires; a one-time notice from the login; sign out.
#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class HomeModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.home")
    Q_PROPERTY(QString username READ username NOTIFY sessionChanged)
    Q_PROPERTY(QString role READ role NOTIFY sessionChanged)
    Q_PROPERTY(QString factor READ factor NOTIFY sessionChanged)
    // The factors this session proved ("Password + authenticator code") and its assurance level.
    Q_PROPERTY(QString factors READ factors NOTIFY sessionChanged)
    Q_PROPERTY(QString aal READ aal NOTIFY sessionChanged)
    Q_PROPERTY(QString assurance READ assurance NOTIFY sessionChanged) // plain: "Two-step sign-in"
    Q_PROPERTY(QString aalText READ aalText NOTIFY sessionChanged)     // the detail line: "AAL2 · …"
    Q_PROPERTY(bool multiFactor READ multiFactor NOTIFY sessionChanged)
    // Whether the account holds a second factor (what the "only a password" hint reads; a session
    // may be at AAL1 although the account holds more, after enrolling in it).
    Q_PROPERTY(bool accountMultiFactor READ accountMultiFactor NOTIFY sessionChanged)
    Q_PROPERTY(QString sessionId READ sessionId NOTIFY sessionChanged)
    Q_PROPERTY(QString created READ created NOTIFY sessionChanged)
    Q_PROPERTY(QString expires READ expires NOTIFY sessionChanged)
    Q_PROPERTY(QString timeLeft READ timeLeft NOTIFY timeLeftChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY sessionChanged)

public:
    explicit HomeModel(AppController* app);

    QString username() const { return m_username; }
    QString role() const { return m_role; }
    QString factor() const { return m_factor; }
    QString factors() const { return m_factors; }
    QString aal() const { return m_aal; }
    QString assurance() const { return m_assurance; }
    QString aalText() const { return m_aalText; }
    bool multiFactor() const { return m_multiFactor; }
    bool accountMultiFactor() const { return m_accountMultiFactor; }
    QString sessionId() const { return m_sessionId; }
    QString created() const;
    QString expires() const;
    QString timeLeft() const { return m_timeLeft; }
    QString notice() const { return m_notice; }

    Q_INVOKABLE void signOut();
    Q_INVOKABLE void openSecurity();

    void load();   // from the controller's session
    void unload(); // signed out

    static QString formatTime(const QDateTime& time);
    static QString formatDuration(qint64 secs);

Q_SIGNALS:
    void sessionChanged();
    void timeLeftChanged();

private:
    void updateTimeLeft();

    AppController* m_app;
    QString m_username;
    QString m_role;
    QString m_factor;
    QString m_factors;
    QString m_aal;
    QString m_assurance;
    QString m_aalText;
    bool m_multiFactor = false;
    bool m_accountMultiFactor = false;
    QString m_sessionId;
    QDateTime m_created;
    QDateTime m_expires;
    QString m_timeLeft;
    QString m_notice;
    QTimer m_clock;
    // Time left is counted from what the core said at load, on a monotonic timer: the core
    // enforces the deadline (SessionWatcher locks the window), the wall clock plays no part.
    qint64 m_absoluteLeftSecs = 0;
    QElapsedTimer m_loadedAt;
};

} // namespace gh::ui
