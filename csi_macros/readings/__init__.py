"""What the register says: process behaviour, verdicts and the facts pages are made of.

`behaviour` reads a metric's values as a process behaviour chart (Making Data Count's
rules, as NHSRplotthedots); `verdicts` answers whether each metric will meet its target;
`facts` gathers a `Register` (the model plus every reading) that pages, charts and exports
read alike; `words` gives the readings their plain words; `scoring` the priority order;
`export` and `spreadsheet` the register's table as CSV, JSON and .xlsx (here, below the
site, because `csi export` and the importers use those columns without building one).
Imports only `register/`.
"""
