// Paints the wizard's QR code (EnrollModel::qrImage) with whole pixels per module and a white
// quiet zone, so phones and zbarimg read it in either palette. The image comes from C++ only:
// the otpauth URI never passes through QML.
#pragma once

#include <QImage>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace gh {
class SecureBuffer;
}

namespace gh::ui {

class EnrollModel;

// The QR code of `text` (an otpauth URI: a secret), 1 px per module with a 4-module quiet zone;
// the one place that calls libqrencode in the GUI. Its working copies are wiped.
QImage renderQrCode(const SecureBuffer& text);

class QrCodeItem : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(gh::ui::EnrollModel* source READ source WRITE setSource NOTIFY sourceChanged)

public:
    explicit QrCodeItem(QQuickItem* parent = nullptr);

    EnrollModel* source() const { return m_source; }
    void setSource(EnrollModel* source);
    void paint(QPainter* painter) override;

Q_SIGNALS:
    void sourceChanged();

private:
    QPointer<EnrollModel> m_source;
};

} // namespace gh::ui
