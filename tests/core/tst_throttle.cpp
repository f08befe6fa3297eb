// The throttling schedule (core/verification/throttle). Covers RL-01, RL-02.
#include "verification/throttle.h"

#include <QtTest>

using namespace gh;

class TestThrottle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void delaySchedule_data() {
        QTest::addColumn<int>("failures");
        QTest::addColumn<qint64>("delay");
        QTest::newRow("1 free") << 1 << qint64(0);
        QTest::newRow("4 free") << 4 << qint64(0);
        QTest::newRow("5th failure: 30 s") << 5 << qint64(30);
        QTest::newRow("6th: 60 s") << 6 << qint64(60);
        QTest::newRow("7th: 120 s") << 7 << qint64(120);
        QTest::newRow("9th: 480 s") << 9 << qint64(480);
        QTest::newRow("10th: capped 900 s") << 10 << qint64(900);
        QTest::newRow("99th: capped") << 99 << qint64(900);
    }
    void delaySchedule() {
        QFETCH(int, failures);
        QFETCH(qint64, delay);
        QCOMPARE(throttle::delayAfter(failures), delay);
    }

    void remainingCountsDown() {
        QCOMPARE(throttle::remaining(5, 1000, 1000), qint64(30));
        QCOMPARE(throttle::remaining(5, 1000, 1029), qint64(1));
        QCOMPARE(throttle::remaining(5, 1000, 1030), qint64(0));
        QCOMPARE(throttle::remaining(3, 1000, 1000), qint64(0));
    }

    // A wall clock set far back never makes the wait longer than one full delay.
    void clockSetBackIsBounded() { QCOMPARE(throttle::remaining(5, 1000, -50000), qint64(30)); }

    void lockAtHundred() {
        QVERIFY(!throttle::locked(99));
        QVERIFY(throttle::locked(100));
    }
};

QTEST_APPLESS_MAIN(TestThrottle)
#include "tst_throttle.moc"
