{#- A mapping seed keyed by two scores covers the whole grid: every (`first_score`, `second_score`) pair of
    `scores` x `scores` is mapped exactly once, and every value of `groups` is reachable in `group_column`. Returns
    one row per missing or repeated pair and per unreachable group. -#}
{% test covers_score_grid(model, first_score, second_score, scores, group_column, groups) %}

with

scores as (

    {% for score in scores -%}
    select {{ score }} as score{{ '\n    union all\n    ' if not loop.last }}
    {%- endfor %}

),

groups as (

    {% for group in groups -%}
    select '{{ group }}' as group_value{{ '\n    union all\n    ' if not loop.last }}
    {%- endfor %}

),

mapping as (

    select * from {{ model }}

),

pair_counts as (

    select
        first_scores.score as first_score,
        second_scores.score as second_score,
        count(mapping.{{ group_column }}) as mapped
    from scores as first_scores
    cross join scores as second_scores
    left join mapping
        on
            first_scores.score = mapping.{{ first_score }}
            and second_scores.score = mapping.{{ second_score }}
    group by first_scores.score, second_scores.score

),

problems as (

    select
        'pair ' || cast(first_score as {{ dbt.type_string() }}) || '-' || cast(second_score as {{ dbt.type_string() }})
        || ' mapped ' || cast(mapped as {{ dbt.type_string() }}) || ' times' as problem
    from pair_counts
    where mapped <> 1

    union all

    select 'group ' || groups.group_value || ' unreachable' as problem
    from groups
    left join mapping
        on groups.group_value = mapping.{{ group_column }}
    where mapping.{{ group_column }} is null

)

select * from problems

{% endtest %}
