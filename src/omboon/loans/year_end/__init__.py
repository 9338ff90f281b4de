"""The year-end allocation (จัดสรรกำไรสุทธิ, DESIGN.md "Savings, loans and the year-end").

``compute`` splits a fiscal year's net income as the bylaws say (pure, no database);
``rules`` holds its checks as lists; ``selectors`` reads its inputs from the books;
``services`` keeps the draft, records the general meeting's decision, posts and pays.
"""
