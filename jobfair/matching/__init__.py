"""The matching engine: pure Python + jieba + scikit-learn, no Flask and no SQLAlchemy."""
