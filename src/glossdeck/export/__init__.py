"""Writers: each takes the finished Glossary and writes one kind of file."""
