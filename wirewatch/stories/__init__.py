"""Story building (placeholder until the stories stage lands: one story per article)."""
from __future__ import annotations

from wirewatch.model import ArticleAnalysis, Story, stable_id


def update_stories(analyses: list[ArticleAnalysis], store) -> list[Story]:
    """Put each new article in a story and save the stories it touched."""
    stories = []
    for analysis in analyses:
        article = analysis.article
        story = Story(id=stable_id("s", article.id), title=article.title, articles=[article.id],
                      outlets=[article.outlet] if article.outlet else [])
        store.save_story(story)
        stories.append(story)
    return stories
