// SPDX-License-Identifier: GPL-2.0-or-later
// agentsight-gui: the desktop app. Options for scripts, tests and docs:
//   --demo              run the built-in demo (fake LLM over TLS + demo agent, traced live)
//   --open FILE         open a recording
//   --connect SOCKET    connect to a running agentsight-helper
//   --screenshot FILE   when loading is done, save the main window as an image and quit
//   --lang LOCALE       UI language (e.g. zh_CN; default: the system's)
#include "main_window.h"

#include "models/session_data.h"

#include <QApplication>
#include <QLabel>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("agentsight"));
    QApplication::setOrganizationName(QStringLiteral("agentsight"));
    QApplication::setApplicationVersion(QStringLiteral(AGENTSIGHT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.agentsight.agentsight"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("AgentSight: see what an AI coding agent asks, does and sends."));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Run the built-in demo, traced live."));
    QCommandLineOption open(QStringLiteral("open"), QStringLiteral("Open a recording."), QStringLiteral("file"));
    QCommandLineOption connectTo(QStringLiteral("connect"), QStringLiteral("Connect to a helper socket."), QStringLiteral("socket"));
    QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Save the window when loaded, then quit."), QStringLiteral("file"));
    QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("UI language, e.g. zh_CN."), QStringLiteral("locale"));
    QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("With --screenshot: give up after this many seconds (default 90)."),
                               QStringLiteral("seconds"), QStringLiteral("90"));
    p.addOptions({demo, open, connectTo, shot, lang, timeout});
    p.process(app);

    const QLocale locale = p.isSet(lang) ? QLocale(p.value(lang)) : QLocale::system();
    QTranslator ours, qtBase;
    if (ours.load(locale, QStringLiteral("agentsight"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        app.installTranslator(&ours);
    if (qtBase.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(&qtBase);

    agentsight::ui::MainWindow w;
    w.show();

    int rc = 0;
    if (p.isSet(shot)) {
        const QString file = p.value(shot);
        static bool saving = false; // sessionEnded may come more than once (failure, then end)
        auto save = [&w, file, &rc] {
            if (saving)
                return;
            saving = true;
            w.refreshNow();
            w.focusFirstAgent();
            // Let the views lay out and paint the final state before grabbing.
            QTimer::singleShot(800, &w, [&w, file, &rc] {
                w.refreshNow();
                if (!w.grab().save(file)) {
                    std::fprintf(stderr, "agentsight-gui: could not save %s\n", qPrintable(file));
                    rc = 1;
                }
                // One line of facts for scripts: what the session holds.
                const auto &d = w.session();
                uint64_t links = 0;
                for (const auto &c : d.toolCalls())
                    links += c.links.size();
                std::printf("agentsight-gui: agents=%zu processes=%zu exchanges=%zu tool_calls=%zu links=%llu events=%llu "
                            "drops=%llu\n",
                            d.processes().agentIds().size(), d.processes().processIds().size(), d.exchanges().size(),
                            d.toolCalls().size(), (unsigned long long)links, (unsigned long long)d.eventsSeen(),
                            (unsigned long long)d.lostTotal());
                std::fflush(stdout);
                if (!w.lastError().isEmpty()) {
                    std::fprintf(stderr, "agentsight-gui: %s\n", qPrintable(w.lastError()));
                    rc = rc ? rc : 2;
                }
                QApplication::quit();
            });
        };
        QObject::connect(&w, &agentsight::ui::MainWindow::sessionEnded, &w, save);
        QTimer::singleShot(p.value(timeout).toInt() * 1000, &w, [&w, &rc] {
            std::fprintf(stderr, "agentsight-gui: timed out waiting for the session to end (%s; %s)\n",
                         qPrintable(w.helperLabel()->text()), qPrintable(w.lastError()));
            rc = 3;
            QApplication::quit();
        });
        if (!p.isSet(demo) && !p.isSet(open) && !p.isSet(connectTo))
            QTimer::singleShot(0, &w, save);
    }
    if (p.isSet(open))
        QTimer::singleShot(0, &w, [&w, &p, &open] { w.openRecording(p.value(open)); });
    else if (p.isSet(demo))
        QTimer::singleShot(0, &w, [&w] { w.startDemo(); });
    else if (p.isSet(connectTo))
        QTimer::singleShot(0, &w, [&w, &p, &connectTo] { w.connectToHelper(p.value(connectTo)); });
    const int code = app.exec();
    return rc ? rc : code;
}
