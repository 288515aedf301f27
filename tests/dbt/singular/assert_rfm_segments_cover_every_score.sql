{#- The RFM mapping seed covers each of the 25 (recency_score, frequency_monetary_score) combinations exactly once
    and every one of the 11 named groups is reachable. Returns what is missing or repeated. -#}
with

scores as (

    select score_values.score
    from (values (1), (2), (3), (4), (5)) as score_values (score)

),

combinations as (

    select
        recency.score as recency_score,
        frequency_monetary.score as frequency_monetary_score
    from scores as recency
    cross join scores as frequency_monetary

),

groups as (

    select group_values.rfm_segment
    from (
        values
        ('champions'), ('loyal'), ('potential_loyalist'), ('new_customer'), ('promising'), ('need_attention'),
        ('about_to_sleep'), ('at_risk'), ('cannot_lose'), ('hibernating'), ('lost')
    ) as group_values (rfm_segment)

),

mapping as (

    select * from {{ ref('ref_rfm_segments') }}

),

combination_counts as (

    select
        combinations.recency_score,
        combinations.frequency_monetary_score,
        count(mapping.rfm_segment) as mapped
    from combinations
    left join mapping
        on
            combinations.recency_score = mapping.recency_score
            and combinations.frequency_monetary_score = mapping.frequency_monetary_score
    group by combinations.recency_score, combinations.frequency_monetary_score

),

problems as (

    select
        'combination ' || cast(recency_score as {{ dbt.type_string() }}) || '-'
        || cast(frequency_monetary_score as {{ dbt.type_string() }}) || ' mapped '
        || cast(mapped as {{ dbt.type_string() }}) || ' times' as problem
    from combination_counts
    where mapped <> 1

    union all

    select 'group ' || groups.rfm_segment || ' unreachable' as problem
    from groups
    left join mapping
        on groups.rfm_segment = mapping.rfm_segment
    where mapping.rfm_segment is null

)

select * from problems
