"""Numbers in the narrative versus the tables: the quantitative-statement extractor.

The check kind that uses it is :class:`checker.kinds.narrative.NarrativeNumbers`; this package is
the machinery (:mod:`.spec` the data from the rule file, :mod:`.extract` the lexer and extractor,
:mod:`.batch` what a batch shares, :mod:`.locate` where a sentence stood).

The extractor finds *statements* such as 收到政府信息公开申请17件 or 未收取信息处理费 in the
narrative texts and relates each one to a table cell (or a declared sum of cells). Everything
that is about Chinese report wording — subjects, verbs, units, connectors, guards, which cell
a statement speaks of — is data from the rule file. This package holds only the
generic machinery:

1. find number tokens (Arabic ``1,234`` / ``3.5`` or Chinese ``十七`` / ``两``) directly followed
   by a unit the rule knows;
2. for each token, try every statement pattern on the words just before it (``before``,
   anchored at the number by the ``connector``) or just after its unit (``after``); zero
   statements (未收到…申请) are searched as whole phrases;
3. drop tokens that a guard marks as unsafe: approximate (约、余), another year, another
   period (去年、同比), a subset (其中 …), or a statement that matches more than one cell;
   and note whose figure it gives: the *body words* in force (本级、本机关 for the body itself;
   全市、各级、所属单位 for a wider one; 我县、本市 when unclear);
4. compare the number with the cell: a statement is a mismatch only when it differs from the
   cell and from every alternative reading the rule declares (e.g. 新收 + 上年结转 for 受理). A
   blank total cell is read as the sum of its parts when they are all numbers (the message says
   so). A statement about a wider or unclear body is never a mismatch: when it equals its cell it
   counts as agreement, otherwise it is not compared (reason ``scope``).

Precision first: anything uncertain is not compared. See ``docs/narrative.md``.

Every pattern from the rule file runs on RE2 (:mod:`checker.patterns`): time linear in the
text. The few patterns of this module's own (sentence and clause marks, explicit years) stay
on ``re``: each is a character class, or a fixed run of at most four digits, with at most a
one-character look-around, so no position is tried more than a bounded number of times. And
the text each number's guards read is bounded: its sentence is taken back at most
``_SENTENCE_REACH`` characters, its clause ``_CLAUSE_REACH``, its words ``window``; a numeral
longer than ``_NUMERAL_CHARS`` is no number. So a text of any length (a run of a million
digits, a sentence without a full stop) is read in time linear in its length.

Extraction is the costly part of a batch, so within one batch (see :class:`_BatchCache`) each
text is tokenised once for all the rules that share guards and units, the statements of each
text are extracted once per rule (and shared by rules with the same patterns), and what the
words before a number decide is remembered for the other reports of the batch, which word
their statements alike. Nothing is kept once the batch is gone.
"""
