// Issue 15 item 7: on a fresh desktop gnome-keyring asks, in its own window, for a password for the
// new keyring, and the keychain job answers only after that. The key store's timeout counts only
// while no such prompt is open (core/vault/keychainwait.h). ST-03 still holds: a keychain that never
// answers is a refusal, after the timeout, never a fallback.
//   - the wait policy, with an injected job (a timer finishing it after a delay) and an injected
//     prompt probe;
//   - the probe against the real gnome-keyring of tests/support/with-services.sh: a pending prompt
//     (CreateCollection returns one and waits for Prompt) is seen, and gone once dismissed.
#include "vault/keychainwait.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>

namespace {

// A job that finishes `delayMs` after it starts (on this thread's event loop), or never (-1).
std::function<void(std::function<void()>)> jobTaking(int delayMs, QObject* context) {
    return [delayMs, context](std::function<void()> done) {
        if (delayMs >= 0)
            QTimer::singleShot(delayMs, context, [done = std::move(done)] { done(); });
    };
}

} // namespace

class tst_KeychainWait : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aQuickJobFinishes() {
        QObject context;
        gh::KeychainWaitPolicy policy;
        policy.timeoutMs = 2000;
        policy.pollMs = 20;
        int probes = 0;
        policy.promptOpen = [&] { return ++probes, false; };
        QVERIFY(gh::waitForKeychain(jobTaking(10, &context), policy));
    }

    void aJobThatFinishesAtOnceNeedsNoLoop() {
        gh::KeychainWaitPolicy policy;
        policy.promptOpen = [] { return false; };
        QVERIFY(gh::waitForKeychain([](std::function<void()> done) { done(); }, policy));
    }

    // ST-03: no prompt, no answer: the wait ends at the timeout and reports it (the key store then
    // refuses with "no keychain answered").
    void withoutAPromptTheTimeoutStands() {
        QObject context;
        gh::KeychainWaitPolicy policy;
        policy.timeoutMs = 150;
        policy.pollMs = 10;
        policy.promptOpen = [] { return false; };
        QList<bool> told;
        policy.onPrompt = [&](bool open) { told << open; };
        QElapsedTimer t;
        t.start();
        QVERIFY(!gh::waitForKeychain(jobTaking(3000, &context), policy));
        QVERIFY2(t.elapsed() >= 150 && t.elapsed() < 2500, qPrintable(QString::number(t.elapsed())));
        QVERIFY(told.isEmpty()); // nothing said about a prompt that never was
    }

    // The case: the job answers only after the person has answered the keyring's prompt,
    // long after the plain timeout. While the prompt is open the wait goes on, and says so.
    void anOpenPromptIsWaitedFor() {
        QObject context;
        gh::KeychainWaitPolicy policy;
        policy.timeoutMs = 100;      // the job takes 6× this
        policy.promptLimitMs = 5000; // but less than this
        policy.pollMs = 10;
        QElapsedTimer t;
        t.start();
        policy.promptOpen = [&] { return t.elapsed() < 550; }; // the person answers at ~550 ms
        QList<bool> told;
        policy.onPrompt = [&](bool open) { told << open; };
        QVERIFY(gh::waitForKeychain(jobTaking(600, &context), policy));
        QVERIFY(t.elapsed() >= 600);
        QCOMPARE(told, (QList<bool>{true, false})); // "waiting for the prompt", then over
    }

    // A prompt left open for ever does not hold the service for ever: the longer limit ends it.
    void aPromptLeftOpenEndsAtTheLimit() {
        QObject context;
        gh::KeychainWaitPolicy policy;
        policy.timeoutMs = 50;
        policy.promptLimitMs = 300;
        policy.pollMs = 10;
        policy.promptOpen = [] { return true; };
        QList<bool> told;
        policy.onPrompt = [&](bool open) { told << open; };
        QElapsedTimer t;
        t.start();
        QVERIFY(!gh::waitForKeychain(jobTaking(-1, &context), policy));
        QVERIFY2(t.elapsed() >= 300 && t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(told, (QList<bool>{true, false}));
    }

    // Once the prompt is answered the job gets the usual timeout again, counted from then.
    void afterThePromptTheTimeoutStartsAgain() {
        QObject context;
        gh::KeychainWaitPolicy policy;
        policy.timeoutMs = 200;
        policy.promptLimitMs = 5000;
        policy.pollMs = 10;
        QElapsedTimer t;
        t.start();
        policy.promptOpen = [&] { return t.elapsed() < 400; };
        // Finishes 150 ms after the prompt closed: within the fresh timeout, beyond the first one.
        QVERIFY(gh::waitForKeychain(jobTaking(550, &context), policy));
    }

    // The probe against the real Secret Service: a prompt made while a job waits is seen as new;
    // one made before is not (gnome-keyring keeps a prompt's object after it is answered).
    void theRealKeyringsNewPromptIsSeen() {
        QDBusConnection bus = QDBusConnection::sessionBus();
        QVERIFY2(bus.isConnected(), "run inside tests/support/with-services.sh");
        const QStringList before = gh::keyringPrompts();
        // CreateCollection answers with a prompt (the new keyring's password) in gnome-keyring;
        // the prompt waits until someone calls Prompt() on it, or Dismiss().
        QDBusMessage create = QDBusMessage::createMethodCall(
            QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
            QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("CreateCollection"));
        QVariantMap properties{
            {QStringLiteral("org.freedesktop.Secret.Collection.Label"), QStringLiteral("tst_keychainwait")}};
        create << properties << QString();
        const QDBusMessage reply = bus.call(create, QDBus::Block, 10000);
        QVERIFY2(reply.type() == QDBusMessage::ReplyMessage, qPrintable(reply.errorMessage()));
        QCOMPARE(reply.arguments().size(), 2);
        const QString prompt = reply.arguments().at(1).value<QDBusObjectPath>().path();
        if (prompt == QLatin1String("/"))
            QSKIP("this Secret Service created the collection without a prompt");
        QVERIFY2(prompt.startsWith(QLatin1String("/org/freedesktop/secrets/prompt/")), qPrintable(prompt));
        const QStringList now = gh::keyringPrompts();
        QVERIFY2(now.contains(prompt.section(u'/', -1)), qPrintable(now.join(u',')));
        QVERIFY(gh::newKeyringPrompt(before, now));
        QVERIFY(!gh::newKeyringPrompt(now, gh::keyringPrompts())); // made before: not this wait's

        // The default policy takes the prompts at its start: a job waiting 6× the timeout while
        // the keyring makes a prompt is waited for; one that only finds the old prompt is not.
        QObject context;
        gh::KeychainWaitPolicy policy;
        policy.timeoutMs = 100;
        policy.promptLimitMs = 5000;
        policy.pollMs = 20;
        QVERIFY(!gh::waitForKeychain(jobTaking(600, &context), policy));
        QVERIFY(gh::waitForKeychain(
            [&](std::function<void()> done) {
                QDBusMessage again = create; // another new keyring, another prompt
                QVERIFY(bus.call(again, QDBus::Block, 10000).type() == QDBusMessage::ReplyMessage);
                QTimer::singleShot(600, &context, [done = std::move(done)] { done(); });
            },
            policy));

        QDBusMessage dismiss =
            QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"), prompt,
                                           QStringLiteral("org.freedesktop.Secret.Prompt"), QStringLiteral("Dismiss"));
        (void)bus.call(dismiss, QDBus::Block, 10000); // tidy up; answered prompts stay listed anyway
    }
};

QTEST_GUILESS_MAIN(tst_KeychainWait)
#include "tst_keychainwait.moc"
