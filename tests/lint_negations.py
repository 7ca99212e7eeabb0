#!/usr/bin/env python3
"""Refuse bats lines that cannot fail: a negated command (`! cmd`).

bash's errexit ignores the status of a pipeline negated with `!`, so in a
bats test `! grep x file` on any line but the test's last one asserts
nothing.  A negation is accepted only where its status is used:
  - as a condition: after `if`, `elif`, `while`, `until`;
  - followed by `||` on the same logical line (`! a || { echo; false; }`:
    the right-hand side fails);
  - as the last command of a test or function (the `}` closing it at
    column 0 is the next line that is not blank or a comment): its status
    is the test's.
`run ! cmd`, `[ ! -f x ]`, `find ! -name` are arguments, not negations.
Quoted strings (even over several lines), comments and here-documents are
skipped.

Usage: lint_negations.py FILE...   prints FILE:LINE: for each offence and
exits 1 if there is one, 0 otherwise.
"""
import re
import sys

# Words after which the next word starts a command.
CMD_START = {";", "&&", "||", "|", "|&", "{", "(", "then", "do", "else",
             "if", "elif", "while", "until", "!"}
CONDITION = {"if", "elif", "while", "until"}
HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")


class Lexer:
    """Splits shell text, line by line, into words and operators, with the
    quote state carried from one line to the next."""

    def __init__(self):
        self.quote = None          # None, "'" or '"'

    def words(self, line):
        """The words of LINE outside quotes (a quoted word counts as the
        word "Q"), the operators, and whether a here-document starts."""
        out, i, n, word = [], 0, len(line), ""
        while i < n:
            c = line[i]
            if self.quote == "'":
                if c == "'":
                    self.quote = None
                i += 1
                continue
            if self.quote == '"':
                if c == "\\":
                    i += 2
                    continue
                if c == '"':
                    self.quote = None
                i += 1
                continue
            if c in "'\"":
                self.quote = c
                word += "Q"
                i += 1
                continue
            if c == "\\":
                word += line[i:i + 2]
                i += 2
                continue
            if c == "#" and not word:
                break              # a comment to the end of the line
            if c.isspace():
                if word:
                    out.append(word)
                    word = ""
                i += 1
                continue
            op = None
            for cand in ("&&", "||", "|&", ";;", "<<<", "<<", ";", "|", "&",
                         "(", ")"):
                if line.startswith(cand, i):
                    op = cand
                    break
            if op in ("<<<", "<<"):
                word += op          # a redirection, part of the word stream
                i += len(op)
                continue
            if op:
                if word:
                    out.append(word)
                    word = ""
                out.append(op)
                i += len(op)
                continue
            word += c
            i += 1
        if word:
            out.append(word)
        return out


def offences(path, text):
    lines = text.split("\n")
    lex = Lexer()
    found = []
    heredoc = None                 # (delimiter, strip_tabs) while inside one
    in_condition = False           # between if/while... and then/do
    i = 0
    while i < len(lines):
        line = lines[i]
        lineno = i + 1
        if heredoc:
            body = line.lstrip("\t") if heredoc[1] else line
            if body == heredoc[0]:
                heredoc = None
            i += 1
            continue
        # Join continued lines into one logical line.
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        started_in_quote = lex.quote is not None
        words = lex.words(line)
        if lex.quote is None:
            m = HEREDOC.search(line.replace("<<<", "   "))
            if m and not started_in_quote:
                heredoc = (m.group(3), m.group(1) == "-")
        prev = None
        for k, w in enumerate(words):
            if w in CONDITION and (prev is None or prev in CMD_START):
                in_condition = True
            elif w in ("then", "do"):
                in_condition = False
            elif w == "!" and (prev is None or prev in CMD_START) \
                    and not in_condition:
                rest = words[k + 1:]
                if "||" in rest:
                    pass
                elif any(t in (";", "&&", "&") for t in rest):
                    found.append((lineno, "is followed by another command"))
                elif not closes_function(lines, i + 1):
                    found.append((lineno, "is not its test's last command"))
            prev = w
        i += 1
    return [(path, n, why) for n, why in found]


def closes_function(lines, start):
    """Whether the next significant line from START is a `}` at column 0."""
    for line in lines[start:]:
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        return re.match(r"^\}\s*(#.*)?$", line) is not None
    return False


def main(argv):
    bad = []
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            bad += offences(path, f.read())
    for path, n, why in bad:
        print(f"{path}:{n}: a '! command' that {why} can never fail "
              "(errexit ignores it): use 'run !', '[ ... ]' or "
              "'if cmd; then false; fi'")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
