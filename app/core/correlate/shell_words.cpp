// SPDX-License-Identifier: GPL-2.0-or-later
#include "shell_words.h"

#include <algorithm>
#include <array>

namespace agentsight::correlate {
namespace {

constexpr std::size_t kMaxWords = 4096;
constexpr std::size_t kMaxCommands = 256;

struct Token {
    enum Kind { Word, Separator, RedirectOut, RedirectIn } kind = Word;
    std::string text;
};

std::vector<Token> tokenize(std::string_view s)
{
    std::vector<Token> out;
    std::string cur;
    bool inWord = false;
    auto flush = [&] {
        if (inWord)
            out.push_back({Token::Word, cur});
        cur.clear();
        inWord = false;
    };
    for (std::size_t i = 0; i < s.size() && out.size() < kMaxWords; ++i) {
        const char c = s[i];
        if (c == '\'') {
            inWord = true;
            const std::size_t end = s.find('\'', i + 1);
            const std::size_t stop = end == std::string_view::npos ? s.size() : end;
            cur.append(s.substr(i + 1, stop - i - 1));
            i = stop;
        } else if (c == '"') {
            inWord = true;
            std::size_t j = i + 1;
            for (; j < s.size() && s[j] != '"'; ++j) {
                if (s[j] == '\\' && j + 1 < s.size() && std::string_view("\"\\$`").find(s[j + 1]) != std::string_view::npos)
                    ++j;
                cur += s[j];
            }
            i = j;
        } else if (c == '\\') {
            if (i + 1 < s.size() && s[i + 1] != '\n') {
                cur += s[i + 1];
                inWord = true;
            }
            ++i;
        } else if (c == ' ' || c == '\t') {
            flush();
        } else if (c == '\n' || c == ';' || c == '|' || c == '(' || c == ')' || c == '`' || c == '{' || c == '}') {
            flush();
            out.push_back({Token::Separator, std::string(1, c)});
        } else if (c == '&') {
            flush();
            if (i + 1 < s.size() && s[i + 1] == '>') { // &> file
                out.push_back({Token::RedirectOut, "&>"});
                ++i;
                if (i + 1 < s.size() && s[i + 1] == '>')
                    ++i;
            } else {
                out.push_back({Token::Separator, "&"});
            }
        } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '(') {
            flush();
            out.push_back({Token::Separator, "$("});
            ++i;
        } else if (c == '>' || c == '<') {
            // A leading fd number ("2>") belongs to the redirection.
            if (inWord && std::all_of(cur.begin(), cur.end(), [](char d) { return d >= '0' && d <= '9'; })) {
                cur.clear();
                inWord = false;
            }
            flush();
            const bool outDir = c == '>';
            while (i + 1 < s.size() && (s[i + 1] == '>' || s[i + 1] == '|' || (outDir && s[i + 1] == '&')))
                ++i;
            if (i + 1 < s.size() && s[i] == '&' && s[i + 1] >= '0' && s[i + 1] <= '9') {
                ++i; // >&2: fd duplication, no file
                continue;
            }
            out.push_back({outDir ? Token::RedirectOut : Token::RedirectIn, std::string(1, c)});
        } else {
            cur += c;
            inWord = true;
        }
    }
    flush();
    return out;
}

bool isAssignment(const std::string &w)
{
    const auto eq = w.find('=');
    if (eq == std::string::npos || eq == 0)
        return false;
    return std::all_of(w.begin(), w.begin() + long(eq), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

// Wrappers whose first non-option word is the real program.
bool isWrapper(std::string_view w)
{
    static constexpr std::array<std::string_view, 12> names = {"sudo", "env", "nohup", "time", "timeout", "nice",
                                                               "xargs", "exec", "command", "builtin", "stdbuf", "ionice"};
    return std::find(names.begin(), names.end(), w) != names.end();
}

} // namespace

std::string_view baseName(std::string_view path)
{
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::vector<SimpleCommand> splitCommands(std::string_view text)
{
    std::vector<SimpleCommand> out;
    SimpleCommand cur;
    bool afterWrapper = false;
    auto finish = [&] {
        if ((!cur.program.empty() || !cur.writes.empty() || !cur.reads.empty()) && out.size() < kMaxCommands)
            out.push_back(std::move(cur));
        cur = SimpleCommand();
        afterWrapper = false;
    };
    const auto tokens = tokenize(text);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token &t = tokens[i];
        if (t.kind == Token::Separator) {
            finish();
            continue;
        }
        if (t.kind == Token::RedirectOut || t.kind == Token::RedirectIn) {
            if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Word) {
                (t.kind == Token::RedirectOut ? cur.writes : cur.reads).push_back(tokens[i + 1].text);
                ++i;
            }
            continue;
        }
        if (cur.program.empty()) {
            if (isAssignment(t.text))
                continue;
            if (isWrapper(baseName(t.text))) {
                afterWrapper = true;
                continue;
            }
            // Options and durations of a wrapper ("timeout 5", "sudo -u x").
            if (afterWrapper && (t.text.front() == '-' || std::isdigit(static_cast<unsigned char>(t.text.front())))) {
                // options that take a value: sudo -u/-g USER, timeout -s/-k X
                if ((t.text == "-u" || t.text == "-g" || t.text == "-s" || t.text == "-k") && i + 1 < tokens.size())
                    ++i;
                continue;
            }
            cur.program = t.text;
        } else {
            cur.args.push_back(t.text);
        }
    }
    finish();
    return out;
}

} // namespace agentsight::correlate
