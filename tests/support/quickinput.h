// Input helpers for the GUI tests: click an item only once its layout has settled, so a click
// computed from a geometry that is still moving (a step appearing, a button below it growing
// in) cannot land on a neighbour. Flaky clicks were seen on a loaded CI machine without this.
#pragma once

#include <QQuickItem>
#include <QQuickWindow>
#include <QtTest>

namespace gh::test {

// The scene position of the item's centre once it has stayed the same for several frames.
inline QPoint settledCentre(QQuickItem* item, int timeoutMs = 5000) {
    auto centre = [item] { return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint(); };
    QPoint last = centre();
    int stable = 0;
    QElapsedTimer timer;
    timer.start();
    while (stable < 4 && timer.elapsed() < timeoutMs) {
        QTest::qWait(25);
        const QPoint now = centre();
        stable = now == last ? stable + 1 : 0;
        last = now;
    }
    return last;
}

} // namespace gh::test
