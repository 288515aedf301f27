{#- A table, not a view: tests and several models read it, and at a million contacts recomputing it for each of them
    (keyword matching, window over every contact) cost minutes. -#}
{{ config(materialized='table') }}

{#- Every surviving contact with its profile criteria (segmentation_criteria.md): B2B or B2C, email domain,
    generic (role) and free-webmail addresses, job function and seniority from the title, age and age band,
    income band, occupation group, education level, location (département, region, coast, mountain, climate). -#}
with

contacts as (

    select contacts.*
    from {{ ref('stg_crm__contacts') }} as contacts
    inner join {{ ref('int_contacts_deduplicated') }} as deduplicated
        on contacts.contact_id = deduplicated.contact_id
    where deduplicated.is_survivor

),

role_prefixes as (

    select prefix from {{ ref('ref_role_email_prefixes') }}

),

webmail_domains as (

    select domain from {{ ref('ref_free_webmail_domains') }}

),

title_keywords as (

    select
        {{ word_text('keyword') }} as keyword_words,
        nullif(job_function, '') as job_function,
        nullif(seniority, '') as seniority,
        priority
    from {{ ref('ref_job_title_keywords') }}

),

occupation_keywords as (

    select
        {{ word_text('keyword') }} as keyword_words,
        occupation_group,
        priority
    from {{ ref('ref_occupation_keywords') }}

),

education_patterns as (

    select
        {{ word_text('pattern') }} as keyword_words,
        education_level,
        priority
    from {{ ref('ref_education_levels') }}

),

departements as (

    select * from {{ ref('ref_departements') }}

),

-- keyword matching runs once per distinct text, not once per contact
titles as (

    select distinct
        job_title,
        {{ word_text('job_title') }} as words
    from contacts
    where job_title is not null

),

-- one keyword join per distinct title, ranked separately for function and for seniority
title_matches as (

    select
        titles.job_title,
        title_keywords.job_function,
        title_keywords.seniority,
        title_keywords.priority,
        length(title_keywords.keyword_words) as keyword_length
    from titles
    inner join title_keywords
        on {{ matches_keyword('titles.words', 'title_keywords.keyword_words') }}

),

title_function as (

    select
        job_title,
        job_function,
        row_number() over (
            partition by job_title
            order by priority asc, keyword_length desc, job_function asc
        ) as match_rank
    from title_matches
    where job_function is not null

),

title_seniority as (

    select
        job_title,
        seniority,
        row_number() over (
            partition by job_title
            order by priority asc, keyword_length desc, seniority asc
        ) as match_rank
    from title_matches
    where seniority is not null

),

occupations as (

    select distinct
        occupation,
        {{ word_text('occupation') }} as words
    from contacts
    where occupation is not null

),

occupation_match as (

    select
        occupations.occupation,
        occupation_keywords.occupation_group,
        row_number() over (
            partition by occupations.occupation
            order by occupation_keywords.priority, length(occupation_keywords.keyword_words) desc
        ) as match_rank
    from occupations
    inner join occupation_keywords
        on {{ matches_keyword('occupations.words', 'occupation_keywords.keyword_words') }}

),

educations as (

    select distinct
        education_level,
        {{ word_text('education_level') }} as words
    from contacts
    where education_level is not null

),

education_match as (

    select
        educations.education_level,
        education_patterns.education_level as education_level_canonical,
        row_number() over (
            partition by educations.education_level
            order by education_patterns.priority, length(education_patterns.keyword_words) desc
        ) as match_rank
    from educations
    inner join education_patterns
        on {{ matches_keyword('educations.words', 'education_patterns.keyword_words') }}

),

addressed as (

    select
        contacts.*,
        {{ dbt.split_part('contacts.email', "'@'", 1) }} as email_local_part,
        {{ dbt.split_part('contacts.email', "'@'", 2) }} as email_domain
    from contacts

),

-- A role address is a role prefix, alone or followed by a separator or a digit. Matched by equality on the local
-- part's first n characters for each prefix length n (an equality join on a hash), not by comparing every address
-- with every prefix (a nested loop: 16 s of CPU at a million contacts).
prefix_lengths as (

    select distinct length(prefix) as prefix_length
    from role_prefixes

),

local_part_heads as (

    select
        addressed.contact_id,
        addressed.email_local_part,
        substr(addressed.email_local_part, 1, prefix_lengths.prefix_length) as local_part_head
    from addressed
    cross join prefix_lengths
    where length(addressed.email_local_part) >= prefix_lengths.prefix_length

),

generic_addresses as (

    select distinct local_part_heads.contact_id
    from local_part_heads
    inner join role_prefixes
        on local_part_heads.local_part_head = role_prefixes.prefix
    -- written on the prefix, so that it is checked after the join, on the few addresses that matched
    where
        length(local_part_heads.email_local_part) = length(role_prefixes.prefix)
        or substr(local_part_heads.email_local_part, length(role_prefixes.prefix) + 1, 1)
        in ('.', '-', '_', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')

),

classified as (

    select
        addressed.*,
        case when addressed.company_id is null then 'b2c' else 'b2b' end as customer_type,
        case when addressed.email is not null then generic_addresses.contact_id is not null end as is_generic_email,
        case when addressed.email is not null then webmail_domains.domain is not null end as is_free_webmail,
        case
            when addressed.job_title is null then 'unknown'
            else coalesce(title_function.job_function, 'other')
        end as job_function,
        case
            when addressed.job_title is null then 'unknown'
            else coalesce(title_seniority.seniority, 'staff')
        end as seniority,
        case
            when addressed.birth_date <= {{ reference_date() }}
                then {{ years_between('addressed.birth_date', reference_date()) }}
        end as age,
        case
            when addressed.household_income_eur is null then 'unknown'
            when addressed.household_income_eur < 25000 then 'low'
            when addressed.household_income_eur < 50000 then 'middle'
            when addressed.household_income_eur < 90000 then 'upper_middle'
            else 'high'
        end as income_band,
        coalesce(occupation_match.occupation_group, 'unknown') as occupation_group,
        coalesce(education_match.education_level_canonical, 'unknown') as education_level_group,
        departements.region,
        departements.is_coastal,
        departements.is_mountain,
        departements.mountain_massif,
        departements.climate_zone
    from addressed
    left join generic_addresses
        on addressed.contact_id = generic_addresses.contact_id
    left join webmail_domains
        on addressed.email_domain = webmail_domains.domain
    left join title_function
        on addressed.job_title = title_function.job_title and title_function.match_rank = 1
    left join title_seniority
        on addressed.job_title = title_seniority.job_title and title_seniority.match_rank = 1
    left join occupation_match
        on addressed.occupation = occupation_match.occupation and occupation_match.match_rank = 1
    left join education_match
        on addressed.education_level = education_match.education_level and education_match.match_rank = 1
    left join departements
        on addressed.department_code = departements.department_code

),

final as (

    select
        *,
        case
            when age is null or age < 18 then 'unknown'
            when age < 25 then '18-24'
            when age < 35 then '25-34'
            when age < 45 then '35-44'
            when age < 55 then '45-54'
            when age < 65 then '55-64'
            else '65+'
        end as age_band
    from classified

)

select * from final
