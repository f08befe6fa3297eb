#include "enrollmodel.h"

#include "appcontroller.h"
#include "factortext.h"
#include "qrcodeitem.h"
#include "sessionfacts.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gh::ui {

EnrollModel::EnrollModel(AppController* app) : QObject(app), m_app(app) {
    // A key registered in the "Security key" step: the session was re-issued (step-up), as after
    // confirming an authenticator app.
    connect(app->securityKey(), &SecurityKeyModel::enrolled, this, [this](const FactorInfo& key) {
        if (m_step != SecurityKey)
            return;
        m_app->sessionReissued();
        updateRestriction();
        loadAssurance();
        showDone(tr("Security key added"),
                 tr("\"%1\" is registered. From now on Gatehouse asks you to touch it after your password. "
                    "Register a second key as a spare, and keep recovery codes in case you lose it.")
                     .arg(key.label),
                 true);
    });
}

void EnrollModel::chooseSecurityKey() {
    setError({});
    setNotice({});
    m_app->securityKey()->beginEnroll();
    setStep(SecurityKey);
}

EnrollModel::~EnrollModel() {
    // The controller (and its client) are going: no call to the service now; a pending set dies
    // with the session or expires in the service, the current one stays.
    m_pendingSetId.clear();
    clear();
}

QString EnrollModel::algorithm() const {
    return totpAlgorithmName(m_params.algorithm);
}

QString EnrollModel::expires() const {
    return m_expires.isValid() ? m_expires.toLocalTime().toString(QStringLiteral("HH:mm")) : QString();
}

void EnrollModel::setStep(Step step) {
    if (m_step == step)
        return;
    m_step = step;
    Q_EMIT stepChanged();
}

void EnrollModel::setError(const QString& error) {
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void EnrollModel::setNotice(const QString& notice) {
    if (m_notice == notice)
        return;
    m_notice = notice;
    Q_EMIT noticeChanged();
}

void EnrollModel::open(Origin origin, Step first) {
    clear();
    m_origin = origin;
    updateRestriction();
    setStep(Choose);
    loadAssurance();
    if (first == Codes)
        chooseRecovery();
}

void EnrollModel::clear() {
    if (m_step == SecurityKey && m_app->securityKey()->enrolling())
        m_app->securityKey()->stop();
    wipeTotp();
    wipeCodes();
    setError({});
    setNotice({});
    m_doneTitle.clear();
    m_doneText.clear();
    m_suggestRecovery = false;
}

void EnrollModel::updateRestriction() {
    const auto& session = m_app->session();
    const bool restricted = session && gateOf(session->info) == SessionGate::EnrollSecondFactor;
    m_restricted = restricted;
    m_restrictionText =
        restricted
            ? tr("Administrators need a second factor. Your account has only a password, so until "
                 "you add an authenticator app or a security key this session can do nothing else. Set it up now, or "
                 "sign out and do it later.")
            : QString();
    Q_EMIT restrictedChanged();
    Q_EMIT assuranceChanged(); // offerRecovery follows the restriction
}

bool EnrollModel::handleSessionError(const Error& error, std::function<void()> retry) {
    if (error.code == Errc::StepUpRequired && retry) { // SES-04: confirm it's you, then carry on
        m_app->stepUp()->request(std::move(retry));
        return true;
    }
    if (error.code != Errc::SessionInvalid)
        return false;
    m_app->signOut(describe(error));
    return true;
}

void EnrollModel::loadAssurance() {
    auto session = m_app->session();
    if (!session)
        return;
    struct Facts {
        Result<AccountAssurance> assurance = Errc::Internal;
        Result<QList<FactorInfo>> factors = Errc::Internal;
    };
    // What the account holds now (not what the session proved at sign-in): the panel, the
    // choices offered and My security all read the same two answers.
    m_app->run(
        [session](Client& gh) {
            auto f = std::make_shared<Facts>();
            f->assurance = gh.assurance(*session);
            f->factors = gh.listFactors(*session);
            return f;
        },
        [this](std::shared_ptr<Facts> facts) {
            if (!facts->assurance)
                return; // the panel keeps its last state; the actions report errors
            const AccountAssurance& held = *facts->assurance;
            const struct {
                FactorCategory category;
                QString examples;
            } rows[] = {
                {FactorCategory::Knowledge, tr("your password")},
                {FactorCategory::Possession, tr("authenticator app, security key, recovery codes")},
                {FactorCategory::Inherence, tr("a security key with a fingerprint reader")},
            };
            m_categories.clear();
            for (const auto& row : rows) {
                m_categories << QVariantMap{
                    {QStringLiteral("name"), factortext::categoryTitle(row.category)},
                    {QStringLiteral("examples"), row.examples},
                    {QStringLiteral("held"), held.categories.contains(row.category)},
                };
            }
            m_assuranceLevel = aalName(held.reachable);
            m_assuranceTitle = factortext::aalTitle(held.reachable);
            switch (held.reachable) {
            case Aal::Aal2:
            case Aal::Aal3:
                m_assuranceText = tr("Sign-in takes two factors of different kinds.");
                break;
            default:
                m_assuranceText = tr("A password alone: one kind of factor.");
                break;
            }
            m_mfaRequired = held.mfaRequired;
            m_hasRecoveryCodes = false;
            if (facts->factors)
                for (const FactorInfo& f : *facts->factors)
                    m_hasRecoveryCodes = m_hasRecoveryCodes || (f.kind == FactorKind::RecoveryCode && !f.pending);
            m_assuranceKnown = facts->factors.ok();
            Q_EMIT assuranceChanged();
        });
}

// --- Authenticator app (TOTP) ---

QString EnrollModel::groupKey(const SecureBuffer& base32) {
    QString grouped;
    grouped.reserve(static_cast<qsizetype>(base32.size() + base32.size() / 4));
    for (std::size_t i = 0; i < base32.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            grouped += u' ';
        grouped += QLatin1Char(base32.chars()[i]);
    }
    return grouped;
}

void EnrollModel::wipeTotp() {
    if (!m_qr.isNull())
        m_qr.fill(0);
    m_qr = QImage();
    wipe(m_manualKey);
    m_manualKey.clear();
    m_issuer.clear();
    m_account.clear();
    m_params = {};
    m_expires = {};
    m_factorId = 0;
    Q_EMIT totpChanged();
}

void EnrollModel::chooseTotp() {
    auto session = m_app->session();
    if (!session || m_app->busy())
        return;
    setError({});
    setNotice({});
    m_app->run(
        [session, label = tr("Authenticator app")](Client& gh) { return gh.beginTotpEnrollment(*session, label); },
        [this](Result<TotpEnrollment> result) {
            if (!result) {
                if (!handleSessionError(result.error(), [this] { chooseTotp(); }))
                    setError(describe(result.error()));
                return;
            }
            TotpEnrollment& enrollment = *result; // its SecureBuffers are wiped when it dies
            wipeTotp();
            m_factorId = enrollment.factorId;
            m_qr = renderQrCode(enrollment.uri);
            m_manualKey = groupKey(enrollment.secretBase32);
            m_issuer = enrollment.issuer;
            m_account = enrollment.account;
            m_params = enrollment.params;
            m_expires = enrollment.expires;
            Q_EMIT totpChanged();
            if (m_qr.isNull())
                setError(tr("The QR code could not be drawn. Type the key below into your app instead."));
            setStep(Totp);
        });
}

void EnrollModel::confirmTotp(const QString& code) {
    auto session = m_app->session();
    const QString digitsOnly = code.trimmed().remove(u' ');
    if (!session || m_app->busy() || m_factorId == 0 || digitsOnly.isEmpty())
        return;
    setError({});
    // Confirming re-issues the session: the worker changes a copy, the GUI thread swaps it in.
    auto working = AppController::copyOf(*session);
    m_app->run([working, id = m_factorId, digitsOnly](Client& gh) { return gh.confirmTotp(*working, id, digitsOnly); },
               [this, session, working](Status status) {
                   if (status)
                       m_app->replaceSession(session, std::move(*working));
                   if (!status) {
                       const Error& error = status.error();
                       if (handleSessionError(error))
                           return;
                       if (error.code == Errc::FactorNotFound) {
                           // The pending factor expired (kPendingFactorSecs): start again.
                           wipeTotp();
                           setStep(Choose);
                           setError(tr("%1 The setup took too long; start it again.").arg(describe(error)));
                           return;
                       }
                       setError(describe(error));
                       Q_EMIT failed();
                       return;
                   }
                   wipeTotp();
                   m_app->sessionReissued();
                   updateRestriction();
                   loadAssurance();
                   showDone(tr("Authenticator app added"),
                            tr("From now on Gatehouse asks for a code from the app after your password. "
                               "Add recovery codes too, in case you lose the phone."),
                            true);
               });
}

// --- Recovery codes ---

QString EnrollModel::normaliseCode(const QString& code) {
    QString out;
    for (QChar c : code.toUpper()) {
        if (c == u' ' || c == u'-')
            continue;
        if (c == u'O')
            c = u'0';
        else if (c == u'I' || c == u'L')
            c = u'1';
        out += c;
    }
    return out;
}

void EnrollModel::wipeCodes() {
    cancelPendingCodes(); // shown but not confirmed: the current set stays
    if (m_copied) {
        QClipboard* clipboard = QGuiApplication::clipboard();
        if (clipboard && clipboard->text() == m_codes.join(u'\n'))
            clipboard->clear();
        m_copied = false;
    }
    for (QString& code : m_codes)
        wipe(code);
    m_codes.clear();
    m_printFile.reset(); // removes the printable PDF
    Q_EMIT codesChanged();
}

void EnrollModel::chooseRecovery() {
    auto session = m_app->session();
    if (!session)
        return;
    setError({});
    setNotice({});
    // Two steps (issue 12): the new set is only shown here; the account's current set keeps
    // working until one new code is typed back (confirmCodes), and Cancel, Back or closing the
    // wizard drops the new set (cancelPendingCodes).
    m_app->run([session](Client& gh) { return gh.beginRecoveryCodes(*session); },
               [this](Result<PendingRecoveryCodes> result) {
                   if (!result) {
                       if (!handleSessionError(result.error(), [this] { chooseRecovery(); }))
                           setError(describe(result.error()));
                       return;
                   }
                   wipeCodes();                             // drops an earlier pending set, if any
                   PendingRecoveryCodes& pending = *result; // its SecureBuffers are wiped when it dies
                   m_pendingSetId = pending.setId;
                   for (const SecureBuffer& code : pending.codes)
                       m_codes << QString::fromUtf8(code.chars(), static_cast<qsizetype>(code.size()));
                   Q_EMIT codesChanged();
                   setStep(Codes);
               });
}

void EnrollModel::cancelPendingCodes() {
    if (m_pendingSetId.isEmpty())
        return;
    const QString setId = std::exchange(m_pendingSetId, {});
    auto session = m_app->session();
    if (!session)
        return; // signed out: the set dies with the session or expires
    m_app->runQuietly([session, setId](Client& gh) { return gh.cancelRecoveryCodes(*session, setId); },
                      [](const Status&) {}); // a set already gone is as good as cancelled
}

void EnrollModel::writeCodes(QIODevice& out) const {
    const auto& session = m_app->session();
    QString text = tr("Gatehouse recovery codes") + u'\n';
    if (session)
        text += tr("Account: %1").arg(session->info.username) + u'\n';
    text += tr("Created: %1").arg(QLocale().toString(QDateTime::currentDateTime(), QLocale::LongFormat)) + u'\n';
    text += u'\n' + tr("Each code signs you in once, in place of your authenticator app.") + u'\n';
    text += tr("Keep this somewhere safe: with your password, a code opens your account.") + QStringLiteral("\n\n");
    for (qsizetype i = 0; i < m_codes.size(); ++i)
        text += QStringLiteral("%1. %2\n").arg(i + 1, 2).arg(m_codes.at(i));
    QByteArray bytes = text.toUtf8();
    out.write(bytes);
    wipe(bytes);
    wipe(text);
}

QUrl EnrollModel::defaultSaveFolder() {
    // Documents when it exists (XDG_DOCUMENTS_DIR may name a folder never made), else home.
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString dir = !documents.isEmpty() && QFileInfo(documents).isDir() ? documents : QDir::homePath();
    return QUrl::fromLocalFile(dir);
}

QUrl EnrollModel::defaultSaveFile() const {
    return QUrl::fromLocalFile(
        QDir(defaultSaveFolder().toLocalFile()).filePath(QStringLiteral("gatehouse-recovery-codes.txt")));
}

QString EnrollModel::saveFailure(const QString& path, int error) {
    const QString where = QDir::toNativeSeparators(path);
    const QString folder = QDir::toNativeSeparators(QFileInfo(path).absolutePath());
    switch (error) {
    case ENOENT:
    case ENOTDIR:
        return tr("The folder %1 does not exist. Choose another folder.").arg(folder);
    case EACCES:
    case EPERM:
        return tr("You may not write to %1. Choose a folder of your own, such as your home folder.").arg(where);
    case EROFS:
        return tr("%1 is on a read-only disk. Choose another folder.").arg(folder);
    case ENOSPC:
    case EDQUOT:
        return tr("The disk is full. Free some space or choose another disk.");
    case EISDIR:
        return tr("%1 is a folder. Type a file name.").arg(where);
    case ELOOP:
        return tr("%1 is a link. Choose a plain file name (the codes are never written through a link).").arg(where);
    default:
        return tr("The codes could not be saved to %1. Choose another folder.").arg(where);
    }
}

void EnrollModel::copyCodes() {
    if (m_codes.isEmpty())
        return;
    if (QClipboard* clipboard = QGuiApplication::clipboard()) {
        clipboard->setText(m_codes.join(u'\n'));
        m_copied = true;
        setNotice(tr("Copied. The clipboard is cleared when you leave this step, if it still holds them."));
    }
}

bool EnrollModel::saveCodes(const QUrl& file) {
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    if (m_codes.isEmpty() || path.isEmpty())
        return false;
    setError({});
    // Owner-only from the start (no window where the file is readable by others).
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || ::fchmod(fd, 0600) != 0) {
        const int error = errno; // plain words for it (saveFailure), never the raw errno text
        if (fd >= 0)
            ::close(fd);
        setError(saveFailure(path, error));
        return false;
    }
    QFile out;
    if (!out.open(fd, QIODevice::WriteOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        setError(saveFailure(path, 0));
        return false;
    }
    writeCodes(out);
    const bool ok = out.flush() && out.error() == QFileDevice::NoError;
    out.close();
    if (!ok) {
        // Half a list is no use and still a secret: remove it.
        QFile::remove(path);
        setError(tr("The codes could not be written completely to %1 (is the disk full?). Nothing was kept; "
                    "choose another folder.")
                     .arg(QDir::toNativeSeparators(path)));
        return false;
    }
    setNotice(tr("Saved to %1 (readable by you only).").arg(QDir::toNativeSeparators(path)));
    return true;
}

void EnrollModel::printCodes() {
    if (m_codes.isEmpty())
        return;
    setError({});
    // Qt Print Support needs Qt Widgets for its dialogs; instead the codes go into a PDF in the
    // per-user runtime directory (tmpfs, 0700; the file itself is 0600), opened in the desktop's
    // viewer to print. The file is removed when this step closes.
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    auto file = std::make_unique<QTemporaryFile>(QDir(dir).filePath(QStringLiteral("gatehouse-recovery-XXXXXX.pdf")));
    if (!file->open()) {
        setError(tr("Could not prepare the page to print: %1").arg(file->errorString()));
        return;
    }
    {
        QPdfWriter pdf(file.get());
        pdf.setTitle(tr("Gatehouse recovery codes"));
        pdf.setCreator(QStringLiteral("Gatehouse"));
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setResolution(300);
        QPainter painter(&pdf);
        QFont body = painter.font();
        body.setPointSizeF(11);
        QFont title = body;
        title.setPointSizeF(18);
        title.setBold(true);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        mono.setPointSizeF(14);

        const int margin = 300; // 1 inch at 300 dpi
        const int width = pdf.width() - 2 * margin;
        int y = margin;
        painter.setFont(title);
        painter.drawText(QRect(margin, y, width, 120), Qt::AlignLeft, tr("Gatehouse recovery codes"));
        y += 160;
        painter.setFont(body);
        QString intro;
        if (const auto& session = m_app->session())
            intro += tr("Account: %1").arg(session->info.username) + u'\n';
        intro += tr("Created: %1").arg(QLocale().toString(QDateTime::currentDateTime(), QLocale::LongFormat)) + u'\n';
        intro += tr("Each code signs you in once, in place of your authenticator app. Keep this page "
                    "somewhere safe: with your password, a code opens your account.");
        const QRect introRect = painter.boundingRect(QRect(margin, y, width, 2000), Qt::TextWordWrap, intro);
        painter.drawText(introRect, Qt::TextWordWrap, intro);
        y = introRect.bottom() + 120;
        painter.setFont(mono);
        const int rowHeight = 110;
        for (qsizetype i = 0; i < m_codes.size(); ++i) {
            const int column = static_cast<int>(i % 2);
            const int row = static_cast<int>(i / 2);
            painter.drawText(QPoint(margin + column * width / 2, y + row * rowHeight),
                             QStringLiteral("%1. %2").arg(i + 1, 2).arg(m_codes.at(i)));
        }
        painter.end();
    }
    file->flush();
    const QString path = file->fileName();
    m_printFile = std::move(file);
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path))) {
        setError(tr("No PDF viewer opened. The printable page is at %1 until you leave this step.").arg(path));
        return;
    }
    setNotice(
        tr("The codes opened as a PDF page: print it from the viewer. The file is deleted when you leave this step."));
}

void EnrollModel::confirmCodes(const QString& typed) {
    const QString wanted = normaliseCode(typed);
    auto session = m_app->session();
    if (m_codes.isEmpty() || wanted.isEmpty() || !session || m_app->busy())
        return;
    QString matched;
    for (const QString& code : std::as_const(m_codes))
        if (normaliseCode(code) == wanted)
            matched = code;
    if (matched.isEmpty()) { // a typo: said at once, no call to the service
        setError(tr("That is not one of the codes above. Check the copy you kept and type one code again."));
        Q_EMIT failed();
        return;
    }
    setError({});
    auto code = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(matched));
    wipe(matched);
    auto working = AppController::copyOf(*session);
    m_app->run(
        [working, setId = m_pendingSetId, code](Client& gh) { return gh.confirmRecoveryCodes(*working, setId, *code); },
        [this, session, working](Status status) {
            if (!status) {
                const Error& error = status.error();
                if (handleSessionError(error))
                    return;
                if (error.code == Errc::FactorNotFound || error.code == Errc::LoginExpired) {
                    // The new set expired: the current one still works; start again.
                    m_pendingSetId.clear();
                    wipeCodes();
                    setStep(Choose);
                    setError(tr("%1 The new codes expired before one was typed back; your current codes "
                                "still work. Make a new set again.")
                                 .arg(describe(error)));
                    return;
                }
                setError(describe(error));
                Q_EMIT failed();
                return;
            }
            m_app->replaceSession(session, std::move(*working));
            m_pendingSetId.clear(); // confirmed: nothing to cancel
            wipeCodes();
            loadAssurance();
            showDone(tr("Recovery codes saved"),
                     tr("These codes replace any earlier set. If you cannot use your authenticator app, sign "
                        "in with your password and one of them. Each works once; make a new set in My "
                        "security when you run low."),
                     false);
        });
}

// --- Navigation ---

void EnrollModel::showDone(const QString& title, const QString& text, bool suggestRecovery) {
    setError({});
    setNotice({});
    m_doneTitle = title;
    m_doneText = text;
    if (m_origin == Origin::Setup) { // the first run ends here (issue 13 item 4)
        const auto& session = m_app->session();
        m_doneTitle = tr("Set-up complete");
        m_doneText = tr("%1, the first administrator, now holds a password and a second factor. %2")
                         .arg(session ? session->info.username : QString(), text);
    }
    m_suggestRecovery = suggestRecovery; // shown only while offerRecovery (no codes yet)
    m_step = Done;
    Q_EMIT stepChanged();
}

void EnrollModel::backToChoose() {
    if (m_step == SecurityKey)
        m_app->securityKey()->stop();
    wipeTotp();
    wipeCodes();
    setError({});
    setNotice({});
    setStep(Choose);
}

void EnrollModel::close() {
    const Origin origin = m_origin;
    clear();
    setStep(Choose);
    m_app->leaveWizard(origin);
}

void EnrollModel::signOut() {
    const bool setupLeft = m_origin == Origin::Setup && m_step != Done;
    const auto& session = m_app->session();
    const QString name = session ? session->info.username : QString();
    clear();
    m_app->signOut(setupLeft ? tr("Set-up is not complete: %1 has no second factor yet. Sign in as %1 to add "
                                  "one; until then the account can do nothing else.")
                                   .arg(name)
                             : QString());
}

void EnrollModel::confirmTotp(SecretInput* code) {
    QString codeText = code ? code->secretString() : QString();
    confirmTotp(codeText);
    wipe(codeText);
}

void EnrollModel::confirmCodes(SecretInput* typed) {
    QString typedText = typed ? typed->secretString() : QString();
    confirmCodes(typedText);
    wipe(typedText);
}

} // namespace gh::ui
