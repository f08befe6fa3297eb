#include "qrcodeitem.h"

#include "enrollmodel.h"

#include "crypto/securebuffer.h"

#include <QPainter>
#include <QQuickWindow>

#include <qrencode.h>

#include <cstring>

#include <algorithm>

namespace gh::ui {

QImage renderQrCode(const SecureBuffer& text) {
    // qrencode wants a C string: a NUL-terminated copy in secure memory.
    SecureBuffer cstring(text.size() + 1);
    std::memcpy(cstring.data(), text.data(), text.size());
    QRcode* code = QRcode_encodeString(cstring.chars(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return {};
    constexpr int kQuiet = 4;
    const int width = code->width;
    QImage image(width + 2 * kQuiet, width + 2 * kQuiet, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < width; ++y) {
        uchar* line = image.scanLine(y + kQuiet);
        for (int x = 0; x < width; ++x)
            line[x + kQuiet] = (code->data[y * width + x] & 1) ? 0 : 255;
    }
    explicit_bzero(code->data, static_cast<std::size_t>(width) * static_cast<std::size_t>(width));
    QRcode_free(code);
    return image;
}

QrCodeItem::QrCodeItem(QQuickItem* parent) : QQuickPaintedItem(parent) {
    setAntialiasing(false);
    setSmooth(false);
    setOpaquePainting(true);
}

void QrCodeItem::setSource(EnrollModel* source) {
    if (m_source == source)
        return;
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    if (m_source)
        connect(m_source, &EnrollModel::totpChanged, this, [this] { update(); });
    update();
    Q_EMIT sourceChanged();
}

void QrCodeItem::paint(QPainter* painter) {
    const QRectF area = boundingRect();
    painter->fillRect(area, Qt::white);
    if (!m_source || m_source->qrImage().isNull())
        return;
    const QImage& image = m_source->qrImage();
    // Whole device pixels per module: no blurred edges for a camera to guess at.
    const qreal dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    const int devicePixels = static_cast<int>(std::min(area.width(), area.height()) * dpr);
    const int scale = std::max(1, devicePixels / image.width());
    const qreal side = static_cast<qreal>(scale * image.width()) / dpr;
    const QRectF target((area.width() - side) / 2, (area.height() - side) / 2, side, side);
    painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter->drawImage(target, image);
}

} // namespace gh::ui
