# Reviewers, credits and decisions are edited with the articles they belong to;
# see articles.admin.
